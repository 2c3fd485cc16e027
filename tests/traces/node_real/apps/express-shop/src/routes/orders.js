'use strict';
const express = require('express');
const orders = require('../controllers/ordersController');

const router = express.Router({ mergeParams: true });

router.get('/:orderId/total', orders.total);
router.post('/', orders.create);
router.get('/:orderId/receipt', orders.receipt);

module.exports = router;
