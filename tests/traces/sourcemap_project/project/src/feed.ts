// A subscriber whose handler is a function expression chosen in the constructor (as
// rxjs's OperatorSubscriber picks its _next): the built code names it after the
// property (``Feed.onItem``); in the source it is no symbol of its own, only part of
// the constructor.
export class Feed {
  onItem: (item: { price?: number }) => number;

  constructor(private readonly rate: number, strict: boolean) {
    this.onItem = strict
      ? function (this: Feed, item: { price?: number }): number {
          if (item.price === undefined) {
            throw new TypeError("an item without a price");
          }
          return item.price * this.rate;
        }
      : (item) => (item.price ?? 0) * rate;
  }
}

const feed = new Feed(2, true);
feed.onItem({ price: 3 });
feed.onItem({});
