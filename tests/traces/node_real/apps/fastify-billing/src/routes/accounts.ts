import { FastifyInstance } from 'fastify';
import { AccountsController } from '../controllers/accountsController';

export async function accountsRoutes(app: FastifyInstance): Promise<void> {
  const controller = new AccountsController();
  app.get('/:id', controller.show);
  app.route({
    method: 'POST',
    url: '/:id/charge',
    handler: controller.charge,
  });
}
