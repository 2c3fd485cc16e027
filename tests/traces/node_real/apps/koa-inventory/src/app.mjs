import Koa from 'koa';
import Router from '@koa/router';
import mount from 'koa-mount';
import { adminApp } from './admin/adminApp.mjs';
import v1 from './routes/v1.mjs';
import { ping } from './controllers/pingController.mjs';

export function createApp() {
  const app = new Koa();
  const api = new Router({ prefix: '/api' });
  api.get('/ping', ping);
  api.use('/v1', v1.routes(), v1.allowedMethods());

  app.use(mount('/admin', adminApp));
  app.use(api.routes());
  app.use(api.allowedMethods());
  return app;
}
