import Koa from 'koa';
import Router from '@koa/router';
import { showStats, flushCache } from './statsController.mjs';

export const adminApp = new Koa();
const router = new Router();

router.get('/stats', showStats);
router.delete('/cache/:key', flushCache);

adminApp.use(router.routes());
