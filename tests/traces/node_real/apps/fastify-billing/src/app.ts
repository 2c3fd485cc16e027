import Fastify, { FastifyInstance } from 'fastify';
import { accountsRoutes } from './routes/accounts';
import { v2 } from './routes/v2';

export function buildApp(): FastifyInstance {
  const app = Fastify({ logger: true });
  app.get('/status', async () => ({ ok: true }));
  app.register(accountsRoutes, { prefix: '/accounts' });
  app.register(v2, { prefix: '/v2' });
  return app;
}
