"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.Cart = void 0;
const pricing_1 = require("./pricing");
class Cart {
    constructor() {
        this.lines = [];
    }
    add(sku, qty = 1) {
        const price = (0, pricing_1.priceOf)(sku);
        this.lines.push({ sku, qty, cents: price.cents * qty });
        return this;
    }
    total() {
        return this.lines.reduce((sum, line) => sum + line.cents, 0);
    }
}
exports.Cart = Cart;
//# sourceMappingURL=cart.js.map