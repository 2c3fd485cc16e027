"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.checkout = checkout;
const cart_1 = require("./cart");
function checkout(skus) {
    const cart = new cart_1.Cart();
    for (const sku of skus) {
        cart.add(sku);
    }
    return cart.total();
}
const wanted = process.argv.slice(2);
console.log(checkout(wanted.length ? wanted : ["apple", "kiwi"]));
//# sourceMappingURL=main.js.map