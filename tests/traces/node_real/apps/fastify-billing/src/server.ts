import { buildApp } from './app';

const port = Number(process.env.PORT || 3002);

buildApp()
  .listen({ port, host: '127.0.0.1' })
  .catch((err: Error) => {
    console.error(err);
    process.exit(1);
  });
