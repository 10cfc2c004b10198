'use strict';

// HS256 access and refresh tokens with the claims of shared/web-auth/src/tokens.rs.

const jwt = require('jsonwebtoken');
const config = require('./config');

function issueAccess(userId, role, sid) {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    userId,
    role,
    type: 'access',
    sid,
    iat: now,
    exp: now + config.accessTtlSecs,
    aud: config.audience,
    iss: config.issuer,
  };
  return jwt.sign(claims, config.jwtSecret, { algorithm: 'HS256' });
}

function issueRefresh(userId, sid, jti) {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    userId,
    type: 'refresh',
    sid,
    jti,
    iat: now,
    exp: now + config.refreshTtlSecs,
    aud: config.audience,
    iss: config.issuer,
  };
  return jwt.sign(claims, config.jwtRefreshSecret, { algorithm: 'HS256' });
}

module.exports = { issueAccess, issueRefresh };
