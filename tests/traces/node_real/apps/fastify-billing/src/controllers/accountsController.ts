import { FastifyReply, FastifyRequest } from 'fastify';
import { BillingService } from '../services/billing';

type ById = { Params: { id: string } };

export class AccountsController {
  private readonly billing = new BillingService();

  show = async (request: FastifyRequest<ById>): Promise<object> => {
    const account = await this.billing.account(request.params.id);
    return { id: account.id, owner: account.owner.toUpperCase() };
  };

  charge = async (request: FastifyRequest<ById>, reply: FastifyReply): Promise<void> => {
    const cents = this.billing.charge(request.params.id, 0);
    reply.code(201).send({ cents });
  };
}
