'use strict';

// The documented error JSON, `{"error": "...", "details": ...}`, as the Rust functions render
// it (shared/web-core/src/error). Internal causes are logged, never sent.

class ApiError extends Error {
  constructor(status, error, details, retryAfter) {
    super(error);
    this.status = status;
    this.error = error;
    this.details = details;
    this.retryAfter = retryAfter;
  }

  static badRequest(error, details) {
    return new ApiError(400, error, details);
  }

  static internal(cause) {
    const e = new ApiError(500, 'Erreur serveur');
    e.cause = cause;
    return e;
  }
}

const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'ThrottlingException',
  'InternalServerError',
  'ServiceUnavailable',
]);

// An AWS SDK error as the Rust adapter maps store errors to answers.
function fromAwsError(err) {
  const name = err && err.name;
  if (name === 'ConditionalCheckFailedException') {
    return new ApiError(409, 'La ressource a été modifiée par une autre requête, veuillez réessayer');
  }
  const status = err && err.$metadata && err.$metadata.httpStatusCode;
  const conflict =
    name === 'TransactionConflictException' ||
    (name === 'TransactionCanceledException' &&
      (err.CancellationReasons || []).some((r) => r.Code === 'TransactionConflict'));
  // No HTTP status: the request never got an answer (connection refused, timeout).
  const network = !status;
  if (conflict || THROTTLING.has(name) || (status && status >= 500) || network) {
    const e = new ApiError(503, 'Service temporairement indisponible, veuillez réessayer');
    e.cause = err;
    return e;
  }
  return ApiError.internal(err);
}

function sendError(res, e) {
  if (e.cause) {
    console.error(JSON.stringify({ level: 'ERROR', status: e.status, error: String(e.cause) }));
  }
  if (e.retryAfter) res.set('Retry-After', String(e.retryAfter));
  const body = e.details === undefined ? { error: e.error } : { error: e.error, details: e.details };
  res.status(e.status).json(body);
}

// Express error handler: last in the chain.
// eslint-disable-next-line no-unused-vars
function errorHandler(err, req, res, next) {
  if (err instanceof ApiError) return sendError(res, err);
  if (err && err.type === 'entity.too.large') {
    return sendError(res, new ApiError(413, 'Requête trop volumineuse'));
  }
  if (err && err.type === 'entity.parse.failed') {
    return sendError(res, ApiError.badRequest('Données invalides', err.message));
  }
  if (err && err.$metadata) return sendError(res, fromAwsError(err));
  return sendError(res, ApiError.internal(err));
}

module.exports = { ApiError, fromAwsError, errorHandler };
