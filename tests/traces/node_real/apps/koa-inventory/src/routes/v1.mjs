import Router from '@koa/router';
import * as items from '../controllers/itemsController.mjs';

const v1 = new Router();

v1.get('/items/:id', items.show);
v1.post('/items', items.create);
v1.put('/items/:id/stock', items.restock);

export default v1;
