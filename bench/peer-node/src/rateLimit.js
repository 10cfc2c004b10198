'use strict';

// Fixed-window rate limits per client IP, counted in the table so that every Lambda instance
// sees the same count: one UpdateItem per request and limit, on the same item as the Rust
// functions (shared/web-core/src/rate_limit): pk `RATE#<scope>#<ip>`, sk the window start.

const { ddb, TABLE, UpdateCommand } = require('./db');
const { ApiError } = require('./errors');

// The client's address: API Gateway's sourceIp. Headers such as X-Forwarded-For are not
// trusted (a client could set them to escape the limits).
function clientIp(req) {
  const ctx = req.requestContext;
  return (ctx && ctx.http && ctx.http.sourceIp) || 'unknown';
}

async function hit(limit, ip) {
  const now = Math.floor(Date.now() / 1000);
  const window = Math.max(limit.windowSecs, 1);
  const start = now - (((now % window) + window) % window);
  const out = await ddb.send(
    new UpdateCommand({
      TableName: TABLE,
      Key: { pk: `RATE#${limit.scope}#${ip}`, sk: String(start) },
      UpdateExpression: 'SET #ttl = :ttl ADD hits :one',
      ExpressionAttributeNames: { '#ttl': 'ttl' },
      ExpressionAttributeValues: { ':ttl': start + window + 60, ':one': 1 },
      ReturnValues: 'ALL_NEW',
    })
  );
  const hits = (out.Attributes && out.Attributes.hits) || 0;
  if (hits > limit.max) {
    const retryAfter = start + window - now;
    throw new ApiError(
      429,
      limit.message,
      `Réessayez dans ${retryAfter} secondes`,
      Math.max(retryAfter, 1)
    );
  }
}

// Express middleware counting every request against `limit`.
function rateLimit(limit) {
  return async (req, res, next) => {
    try {
      await hit(limit, clientIp(req));
      next();
    } catch (err) {
      next(err);
    }
  };
}

module.exports = { rateLimit, clientIp };
