'use strict';

class Order {
  constructor(items) {
    if (!Array.isArray(items) || items.length === 0) {
      throw new RangeError('an order needs at least one item');
    }
    this.items = items;
  }
}

class OrderService {
  constructor() {
    this.orders = new Map([['7', new Order([{ sku: 'kiwi', qty: 2 }])]]);
  }

  priceOf(sku) {
    const prices = { apple: 3 };
    if (!(sku in prices)) {
      throw new Error(`no price for ${sku}`);
    }
    return prices[sku];
  }

  total(orderId) {
    const order = this.orders.get(orderId);
    return order.items.reduce((sum, item) => sum + this.priceOf(item.sku) * item.qty, 0);
  }
}

module.exports = { OrderService, Order };
