"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.invoicesPlugin = invoicesPlugin;
const billing_1 = require("../services/billing");
const billing = new billing_1.BillingService();
async function invoicesPlugin(app) {
    app.get('/:number', async (request) => {
        return billing.invoice(request.params.number);
    });
    app.get('/:number/pdf', function renderPdf(request, reply) {
        billing.render(request.params.number, (err, pdf) => {
            if (err) {
                throw err;
            }
            reply.send(pdf);
        });
    });
}
//# sourceMappingURL=invoices.js.map