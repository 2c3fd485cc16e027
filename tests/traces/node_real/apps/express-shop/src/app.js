'use strict';
const express = require('express');
const apiRouter = require('./routes/api');
const { health } = require('./controllers/healthController');

function createApp() {
  const app = express();
  app.use(express.json());
  app.get('/health', health);
  app.use('/api', apiRouter);
  return app;
}

module.exports = { createApp };
