"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.Feed = void 0;
// A subscriber whose handler is a function expression chosen in the constructor (as
// rxjs's OperatorSubscriber picks its _next): the built code names it after the
// property (``Feed.onItem``); in the source it is no symbol of its own, only part of
// the constructor.
class Feed {
    constructor(rate, strict) {
        this.rate = rate;
        this.onItem = strict
            ? function (item) {
                if (item.price === undefined) {
                    throw new TypeError("an item without a price");
                }
                return item.price * this.rate;
            }
            : (item) => { var _a; return ((_a = item.price) !== null && _a !== void 0 ? _a : 0) * rate; };
    }
}
exports.Feed = Feed;
const feed = new Feed(2, true);
feed.onItem({ price: 3 });
feed.onItem({});
//# sourceMappingURL=feed.js.map