"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.AccountsController = void 0;
const billing_1 = require("../services/billing");
class AccountsController {
    billing = new billing_1.BillingService();
    show = async (request) => {
        const account = await this.billing.account(request.params.id);
        return { id: account.id, owner: account.owner.toUpperCase() };
    };
    charge = async (request, reply) => {
        const cents = this.billing.charge(request.params.id, 0);
        reply.code(201).send({ cents });
    };
}
exports.AccountsController = AccountsController;
//# sourceMappingURL=accountsController.js.map