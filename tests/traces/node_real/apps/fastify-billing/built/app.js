"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.buildApp = buildApp;
const fastify_1 = __importDefault(require("fastify"));
const accounts_1 = require("./routes/accounts");
const v2_1 = require("./routes/v2");
function buildApp() {
    const app = (0, fastify_1.default)({ logger: true });
    app.get('/status', async () => ({ ok: true }));
    app.register(accounts_1.accountsRoutes, { prefix: '/accounts' });
    app.register(v2_1.v2, { prefix: '/v2' });
    return app;
}
//# sourceMappingURL=app.js.map