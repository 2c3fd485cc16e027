'use strict';
const express = require('express');
const usersRouter = require('./users');
const ordersRouter = require('./orders');

const router = express.Router();

router.use('/users', usersRouter);
router.use('/orders', ordersRouter);

module.exports = router;
