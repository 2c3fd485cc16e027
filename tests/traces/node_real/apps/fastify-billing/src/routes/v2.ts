import { FastifyInstance } from 'fastify';
import { invoicesPlugin } from '../plugins/invoices';

export async function v2(app: FastifyInstance): Promise<void> {
  app.register(invoicesPlugin, { prefix: '/invoices' });
}
