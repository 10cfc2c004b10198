'use strict';

// Ivorian phone numbers as the document accepts them, normalised to 10 digits
// (functions/kbine/src/phone.rs).

const { ApiError } = require('./errors');

const VALID_PREFIXES = ['01', '05', '07'];

function invalid(details) {
  return ApiError.badRequest('Numéro de téléphone invalide', details);
}

// Accepts `0701020304`, `07 01 02 03 04`, `+225 07 01 02 03 04`, `00225 07 01 02 03 04`.
function parsePhone(input) {
  const compact = input.replace(/\s/g, '');
  let national = compact;
  if (compact.startsWith('+225')) national = compact.slice(4);
  else if (compact.startsWith('00225')) national = compact.slice(5);
  if (!/^[0-9]{10}$/.test(national)) {
    throw invalid('Le numéro doit contenir exactement 10 chiffres');
  }
  if (!VALID_PREFIXES.includes(national.slice(0, 2))) {
    throw invalid('Préfixe invalide. Les préfixes valides sont: 01, 05, 07');
  }
  return national;
}

module.exports = { parsePhone };
