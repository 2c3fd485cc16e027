"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.BillingService = exports.BillingError = void 0;
class BillingError extends Error {
    constructor(message) {
        super(message);
        this.name = 'BillingError';
    }
}
exports.BillingError = BillingError;
class BillingService {
    accounts = new Map([['a1', { id: 'a1', owner: 'ada' }]]);
    async account(id) {
        await Promise.resolve();
        const found = this.accounts.get(id);
        return found;
    }
    charge(id, cents) {
        if (cents <= 0) {
            throw new BillingError(`refusing to charge ${cents} cents to ${id}`);
        }
        return cents;
    }
    async invoice(number) {
        const lines = await this.lines(number);
        return { number, total: lines.reduce((sum, line) => sum + line, 0) };
    }
    async lines(number) {
        if (!/^INV-\d+$/.test(number)) {
            throw new RangeError(`bad invoice number ${number}`);
        }
        return [100, 250];
    }
    render(number, done) {
        setTimeout(() => {
            done(new Error(`cannot render ${number}`));
        }, 1);
    }
}
exports.BillingService = BillingService;
//# sourceMappingURL=billing.js.map