'use strict';

// The Express app: what every Kbine response gets (the global rate limit, security headers,
// CORS, a request id), then the two route groups, then the JSON 404 and error handler.

const crypto = require('node:crypto');
const express = require('express');
const cors = require('cors');
const config = require('./config');
const { rateLimit } = require('./rateLimit');
const { ApiError, errorHandler } = require('./errors');
const plansRouter = require('./routes/plans');
const authRouter = require('./routes/auth');

const app = express();
app.disable('x-powered-by');

app.use((req, res, next) => {
  res.set({
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'X-XSS-Protection': '1; mode=block',
    'X-Request-Id': req.get('x-request-id') || crypto.randomUUID(),
  });
  next();
});

const origins = config.corsOrigins === '*' ? '*' : config.corsOrigins.split(',').map((o) => o.trim());
app.use(
  cors({
    origin: origins,
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'Content-Type'],
    maxAge: 600,
  })
);

app.use(
  rateLimit({
    scope: 'global',
    max: config.rateLimitMax,
    windowSecs: config.rateLimitWindowSecs,
    message: 'Trop de requêtes, veuillez réessayer plus tard',
  })
);

app.use('/api/plans', plansRouter);
app.use('/api/auth', authRouter);

app.use((req, res, next) => next(new ApiError(404, 'Route non trouvée')));
app.use(errorHandler);

module.exports = app;
