"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.accountsRoutes = accountsRoutes;
const accountsController_1 = require("../controllers/accountsController");
async function accountsRoutes(app) {
    const controller = new accountsController_1.AccountsController();
    app.get('/:id', controller.show);
    app.route({
        method: 'POST',
        url: '/:id/charge',
        handler: controller.charge,
    });
}
//# sourceMappingURL=accounts.js.map