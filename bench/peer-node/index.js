'use strict';

// Lambda entry point (`index.handler`), run by aws-lambda-ric. The Express app, the DynamoDB
// client and the settings are built here, at module load (the Lambda init phase).

const serverless = require('serverless-http');
const app = require('./src/app');

module.exports.handler = serverless(app);
