'use strict';

// GET /api/plans (functions/kbine/src/plans.rs): the catalogue, optionally filtered by
// operator_id (gsi2 partition PLANS#OP#<id>), type and active (a FilterExpression); otherwise
// the gsi1 partition PLANS. Each plan carries its operator's name, read from the gsi1
// partition OPERATORS.

const express = require('express');
const { queryAll } = require('../db');
const { ApiError } = require('../errors');

const PLAN_TYPES = ['credit', 'minutes', 'internet'];

const router = express.Router();

function bad(details) {
  return ApiError.badRequest('Paramètres de requête invalides', details);
}

// A query parameter given once, as a string (a repeated one is refused).
function param(query, name) {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw bad(`${name}: paramètre répété`);
  return value;
}

// Prices are integer centimes in the table and two-decimal numbers on the wire (`1000.00`),
// which JSON.stringify cannot write: they are rendered as strings, then unquoted.
function renderPlans(views) {
  return JSON.stringify(views).replace(/"price":"(-?[0-9]+\.[0-9]{2})"/g, '"price":$1');
}

function money(minor) {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

router.get('/', async (req, res, next) => {
  try {
    const filters = [];
    const names = {};
    const values = {};

    const type = param(req.query, 'type');
    if (type) {
      if (!PLAN_TYPES.includes(type)) throw bad('type doit être credit, minutes ou internet');
      filters.push('#type = :type');
      names['#type'] = 'type';
      values[':type'] = type;
    }
    const active = param(req.query, 'active');
    if (active) {
      if (active !== 'true' && active !== 'false') throw bad('active doit être true ou false');
      filters.push('#active = :active');
      names['#active'] = 'active';
      values[':active'] = active === 'true';
    }

    let keyQuery;
    const operatorId = param(req.query, 'operator_id');
    if (operatorId) {
      if (!/^[+-]?[0-9]+$/.test(operatorId) || !Number.isSafeInteger(Number(operatorId))) {
        throw bad('operator_id doit être un entier');
      }
      keyQuery = { IndexName: 'gsi2', pkName: 'gsi2pk', pk: `PLANS#OP#${Number(operatorId)}` };
    } else {
      keyQuery = { IndexName: 'gsi1', pkName: 'gsi1pk', pk: 'PLANS' };
    }

    const operators = await queryAll({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': 'OPERATORS' },
    });
    const operatorNames = new Map(operators.map((o) => [o.id, o.name]));

    const plans = await queryAll({
      IndexName: keyQuery.IndexName,
      KeyConditionExpression: `${keyQuery.pkName} = :pk`,
      FilterExpression: filters.length ? filters.join(' AND ') : undefined,
      ExpressionAttributeNames: filters.length ? names : undefined,
      ExpressionAttributeValues: { ':pk': keyQuery.pk, ...values },
    });

    const views = plans.map((p) => {
      const view = { id: p.id, operator_id: p.operator_id };
      if (operatorNames.has(p.operator_id)) view.operator_name = operatorNames.get(p.operator_id);
      view.name = p.name;
      view.description = p.description ?? null;
      view.price = money(p.price_minor);
      view.type = p.type;
      view.validity_days = p.validity_days ?? null;
      view.active = p.active;
      view.created_at = p.created_at;
      return view;
    });

    res.type('application/json').send(renderPlans(views));
  } catch (err) {
    next(err);
  }
});

module.exports = router;
