"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.priceOf = priceOf;
const TABLE = { apple: 120, pear: 95 };
function priceOf(sku) {
    const cents = TABLE[sku];
    if (cents === undefined) {
        throw new RangeError(`no price for ${sku}`);
    }
    return { sku, cents };
}
//# sourceMappingURL=pricing.js.map