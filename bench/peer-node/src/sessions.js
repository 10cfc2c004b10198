'use strict';

// Refresh sessions (shared/web-auth/src/sessions.rs): one item per session,
// SESSION#<sid> / SESSION, listed per user in gsi1 (SESSIONS#<userId>), expired by `ttl`.

const crypto = require('node:crypto');
const { ddb, TABLE, PutCommand } = require('./db');
const config = require('./config');
const tokens = require('./tokens');

const newId = () => crypto.randomUUID().replace(/-/g, '');

async function startSession(userId) {
  const sid = newId();
  const jti = newId();
  const now = new Date();
  const expiresAt = Math.floor(now.getTime() / 1000) + config.refreshTtlSecs;
  await ddb.send(
    new PutCommand({
      TableName: TABLE,
      Item: {
        pk: `SESSION#${sid}`,
        sk: 'SESSION',
        user_id: userId,
        jti,
        revoked: false,
        expires_at: expiresAt,
        ttl: expiresAt,
        gsi1pk: `SESSIONS#${userId}`,
        gsi1sk: now.toISOString(),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    })
  );
  return { sid, refreshToken: tokens.issueRefresh(userId, sid, jti) };
}

module.exports = { startSession };
