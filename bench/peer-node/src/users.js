'use strict';

// Users, created on first login (functions/kbine/src/users.rs, counters.rs). Items:
//   PHONE#<phone> / PHONE     the guard that keeps numbers unique: { user_id }
//   USER#<id> / PROFILE       the user, in gsi1 (USERS) and gsi2 (USERS#<role>)
//   COUNTER / user            the last id given ({ value })
//   TOTAL / users, users#<role>  totals ({ value })

const { ddb, TABLE, getItem, transactWrite, UpdateCommand } = require('./db');
const { ApiError } = require('./errors');

const padded = (id) => String(id).padStart(12, '0');

async function findUser(id) {
  return getItem(`USER#${id}`, 'PROFILE');
}

async function findByPhone(phone) {
  const guard = await getItem(`PHONE#${phone}`, 'PHONE');
  if (!guard) return undefined;
  if (!Number.isInteger(guard.user_id)) {
    throw ApiError.internal('phone guard without user_id');
  }
  return findUser(guard.user_id);
}

// The next id of `entity`: 1, 2, 3...
async function nextId(entity) {
  const out = await ddb.send(
    new UpdateCommand({
      TableName: TABLE,
      Key: { pk: 'COUNTER', sk: entity },
      UpdateExpression: 'ADD #value :one',
      ExpressionAttributeNames: { '#value': 'value' },
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'ALL_NEW',
    })
  );
  const value = out.Attributes && out.Attributes.value;
  if (!Number.isInteger(value)) throw ApiError.internal(`counter ${entity} has no value`);
  return value;
}

function bump(name, by) {
  return {
    Update: {
      TableName: TABLE,
      Key: { pk: 'TOTAL', sk: name },
      UpdateExpression: 'ADD #value :by',
      ExpressionAttributeNames: { '#value': 'value' },
      ExpressionAttributeValues: { ':by': by },
    },
  };
}

// The account of `phone`, created with `role` when there is none. The phone guard, written in
// the same transaction, keeps numbers unique even when two first logins race.
async function findOrCreate(phone, role) {
  const existing = await findByPhone(phone);
  if (existing) return existing;

  const id = await nextId('user');
  const now = new Date().toISOString();
  const listKey = `${now}#${padded(id)}`;
  const user = {
    pk: `USER#${id}`,
    sk: 'PROFILE',
    id,
    phone_number: phone,
    role,
    created_at: now,
    updated_at: now,
    gsi1pk: 'USERS',
    gsi1sk: listKey,
    gsi2pk: `USERS#${role}`,
    gsi2sk: listKey,
  };
  const notExists = {
    ConditionExpression: 'attribute_not_exists(pk)',
  };
  try {
    await transactWrite([
      { Put: { TableName: TABLE, Item: { pk: `PHONE#${phone}`, sk: 'PHONE', user_id: id }, ...notExists } },
      { Put: { TableName: TABLE, Item: user, ...notExists } },
      bump('users', 1),
      bump(`users#${role}`, 1),
    ]);
    return user;
  } catch (err) {
    const reasons = err.CancellationReasons || [];
    if (reasons[0] && reasons[0].Code === 'ConditionalCheckFailed') {
      // Another request created this number first: use its account.
      const winner = await findByPhone(phone);
      if (!winner) throw ApiError.internal('phone guard vanished');
      return winner;
    }
    throw err;
  }
}

module.exports = { findOrCreate, findByPhone, findUser };
