'use strict';

// POST /api/auth/login (functions/kbine/src/auth.rs): phone-number login; the account is
// created on first login. Every attempt counts against the login limit (5 per 15 minutes per
// IP by default), even one with a malformed body, so the limit runs before the body parser.

const express = require('express');
const config = require('../config');
const { ApiError, fromAwsError } = require('../errors');
const { rateLimit } = require('../rateLimit');
const { parsePhone } = require('../phone');
const users = require('../users');
const sessions = require('../sessions');
const tokens = require('../tokens');

const router = express.Router();

const loginLimit = rateLimit({
  scope: 'login',
  max: config.loginRateLimitMax,
  windowSecs: config.loginRateLimitWindowSecs,
  message: 'Trop de tentatives de connexion, veuillez réessayer plus tard',
});

function requireJson(req, res, next) {
  if (!req.is('application/json')) {
    return next(
      ApiError.badRequest(
        'Données invalides',
        'Le corps de la requête doit être du JSON (Content-Type: application/json)'
      )
    );
  }
  next();
}

router.post('/login', loginLimit, requireJson, express.json({ strict: false }), async (req, res, next) => {
  try {
    const body = req.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw ApiError.badRequest('Données invalides', 'le corps doit être un objet JSON');
    }
    let phone;
    const raw = body.phoneNumber;
    if (typeof raw === 'string') phone = parsePhone(raw);
    else if (typeof raw === 'number') phone = parsePhone(String(raw));
    else throw ApiError.badRequest('Numéro de téléphone invalide', 'Le numéro de téléphone est requis');

    let user;
    let session;
    try {
      user = await users.findOrCreate(phone, 'client');
      session = await sessions.startSession(user.id);
    } catch (err) {
      const e = err instanceof ApiError ? err : fromAwsError(err);
      if (e.status === 500) e.error = 'Erreur serveur lors de la connexion';
      throw e;
    }
    res.json({
      token: tokens.issueAccess(user.id, user.role, session.sid),
      refreshToken: session.refreshToken,
      user: { id: user.id, phoneNumber: user.phone_number, role: user.role },
    });
  } catch (err) {
    next(err);
  }
});

module.exports = router;
