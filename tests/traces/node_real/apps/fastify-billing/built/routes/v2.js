"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.v2 = v2;
const invoices_1 = require("../plugins/invoices");
async function v2(app) {
    app.register(invoices_1.invoicesPlugin, { prefix: '/invoices' });
}
//# sourceMappingURL=v2.js.map