import { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BillingService } from '../services/billing';

const billing = new BillingService();

type ByNumber = { Params: { number: string } };

export async function invoicesPlugin(app: FastifyInstance): Promise<void> {
  app.get<ByNumber>('/:number', async (request: FastifyRequest<ByNumber>) => {
    return billing.invoice(request.params.number);
  });
  app.get<ByNumber>('/:number/pdf', function renderPdf(request: FastifyRequest<ByNumber>, reply: FastifyReply) {
    billing.render(request.params.number, (err, pdf) => {
      if (err) {
        throw err;
      }
      reply.send(pdf);
    });
  });
}
