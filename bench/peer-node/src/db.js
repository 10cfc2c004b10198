'use strict';

// The DynamoDB client, built once at init. Region, credentials and the endpoint come from the
// environment (AWS_REGION, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL_DYNAMODB),
// as the Rust functions' `aws_config::defaults` reads them.

const crypto = require('node:crypto');
const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');
const {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
  QueryCommand,
  TransactWriteCommand,
} = require('@aws-sdk/lib-dynamodb');
const config = require('./config');

const client = new DynamoDBClient({});
const ddb = DynamoDBDocumentClient.from(client, {
  marshallOptions: { removeUndefinedValues: true },
});

const TABLE = config.tableName;

const nowEpoch = () => Math.floor(Date.now() / 1000);

// Reads one item (strongly consistent). An item whose TTL has passed counts as absent:
// DynamoDB deletes expired items late.
async function getItem(pk, sk) {
  const out = await ddb.send(
    new GetCommand({ TableName: TABLE, Key: { pk, sk }, ConsistentRead: true })
  );
  const item = out.Item;
  if (item && typeof item.ttl === 'number' && item.ttl <= nowEpoch()) {
    return undefined;
  }
  return item;
}

// Every item of one index partition, following LastEvaluatedKey.
async function queryAll(params) {
  const items = [];
  let startKey;
  do {
    const out = await ddb.send(
      new QueryCommand({ TableName: TABLE, ...params, ExclusiveStartKey: startKey })
    );
    items.push(...(out.Items || []));
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return items;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// A transaction cancelled by a conflict with another one wrote nothing: it is sent again
// (with a fresh idempotency token) after a short random pause, up to 5 times.
async function transactWrite(items) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ddb.send(
        new TransactWriteCommand({
          TransactItems: items,
          ClientRequestToken: crypto.randomUUID(),
        })
      );
    } catch (err) {
      const conflict =
        err.name === 'TransactionCanceledException' &&
        (err.CancellationReasons || []).some((r) => r.Code === 'TransactionConflict') &&
        !(err.CancellationReasons || []).some((r) => r.Code === 'ConditionalCheckFailed');
      if (!conflict || attempt >= 5) throw err;
      await sleep(10 * attempt + Math.floor(Math.random() * 20));
    }
  }
}

module.exports = {
  ddb,
  TABLE,
  nowEpoch,
  getItem,
  queryAll,
  transactWrite,
  GetCommand,
  PutCommand,
  UpdateCommand,
  QueryCommand,
};
