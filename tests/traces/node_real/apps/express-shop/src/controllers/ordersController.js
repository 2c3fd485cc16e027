'use strict';
const fs = require('fs');
const path = require('path');
const { OrderService, Order } = require('../services/orderService');

const orders = new OrderService();

exports.total = function total(req, res) {
  const sum = orders.total(req.params.orderId);
  res.json({ total: sum });
};

exports.create = function create(req, res) {
  const order = new Order(req.body.items);
  res.status(201).json(order);
};

exports.receipt = function receipt(req, res) {
  const file = path.join(__dirname, '..', '..', 'receipts', `${req.params.orderId}.json`);
  fs.readFile(file, 'utf8', (err, text) => {
    const receipt = JSON.parse(err ? '{"lines": null}' : text);
    res.json({ lines: receipt.lines.map((line) => line.trim()) });
  });
};
