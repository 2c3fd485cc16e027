export function ping(ctx) {
  ctx.body = 'pong';
}
