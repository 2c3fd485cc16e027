import { createApp } from './app.mjs';

const port = Number(process.env.PORT || 3001);
createApp().listen(port, () => {
  console.log(`koa-inventory listening on ${port}`);
});
