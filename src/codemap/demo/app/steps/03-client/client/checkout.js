// The checkout page: shows the cart, then confirms the order with the API.

import { submitOrder } from "./api.js";
import { cartTotal, formatCents } from "./cart.js";

export class Checkout {
  constructor(cart, { api = { submitOrder } } = {}) {
    this.cart = cart;
    this.api = api;
    this.state = "editing";
  }

  summary() {
    const total = cartTotal(this.cart.lines, this.cart.coupon);
    return `${this.cart.lines.length} items, ${formatCents(total)}`;
  }

  async confirm() {
    this.state = "submitting";
    try {
      const order = await this.api.submitOrder(this.toOrder());
      this.state = "confirmed";
      return order;
    } catch (error) {
      this.state = "failed";
      throw error;
    }
  }

  toOrder() {
    return {
      customer: this.cart.customer,
      coupon: this.cart.coupon,
      lines: this.cart.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, unit_price: l.unitPrice })),
    };
  }
}
