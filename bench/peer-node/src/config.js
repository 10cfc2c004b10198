'use strict';

// Settings read once from the environment at init, with the same names and defaults as the
// Rust functions (functions/kbine/src/config.rs). A missing table or a short JWT secret fails
// the init, as it does there.

const MIN_SECRET_LEN = 32;

function required(name) {
  const value = process.env[name];
  if (!value || !value.trim()) {
    throw new Error(`environment variable ${name} is required`);
  }
  return value;
}

function secret(name) {
  const value = required(name);
  if (Buffer.byteLength(value) < MIN_SECRET_LEN) {
    throw new Error(`environment variable ${name} is invalid: must hold at least ${MIN_SECRET_LEN} bytes`);
  }
  return value;
}

function intOr(name, fallback) {
  const value = process.env[name];
  if (value === undefined || !value.trim()) return fallback;
  const n = Number(value.trim());
  if (!Number.isInteger(n)) {
    throw new Error(`environment variable ${name} is invalid: not an integer`);
  }
  return n;
}

module.exports = {
  tableName: required('TABLE_NAME'),
  jwtSecret: secret('JWT_SECRET'),
  jwtRefreshSecret: secret('JWT_REFRESH_SECRET'),
  accessTtlSecs: intOr('JWT_ACCESS_TTL_SECS', 3600),
  refreshTtlSecs: intOr('JWT_REFRESH_TTL_SECS', 30 * 24 * 3600),
  rateLimitMax: intOr('RATE_LIMIT_MAX', 100),
  rateLimitWindowSecs: intOr('RATE_LIMIT_WINDOW_SECS', 900),
  loginRateLimitMax: intOr('LOGIN_RATE_LIMIT_MAX', 5),
  loginRateLimitWindowSecs: intOr('LOGIN_RATE_LIMIT_WINDOW_SECS', 900),
  corsOrigins: (process.env.CORS_ORIGINS || '').trim() || '*',
  issuer: 'kbine-backend',
  audience: 'kbine-client',
};
