"use strict";
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);

// src/main.ts
var main_exports = {};
__export(main_exports, {
  checkout: () => checkout
});
module.exports = __toCommonJS(main_exports);

// src/pricing.ts
var TABLE = { apple: 120, pear: 95 };
function priceOf(sku) {
  const cents = TABLE[sku];
  if (cents === void 0) {
    throw new RangeError(`no price for ${sku}`);
  }
  return { sku, cents };
}

// src/cart.ts
var Cart = class {
  constructor() {
    this.lines = [];
  }
  add(sku, qty = 1) {
    const price = priceOf(sku);
    this.lines.push({ sku, qty, cents: price.cents * qty });
    return this;
  }
  total() {
    return this.lines.reduce((sum, line) => sum + line.cents, 0);
  }
};

// src/main.ts
function checkout(skus) {
  const cart = new Cart();
  for (const sku of skus) {
    cart.add(sku);
  }
  return cart.total();
}
var wanted = process.argv.slice(2);
console.log(checkout(wanted.length ? wanted : ["apple", "kiwi"]));
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  checkout
});
//# sourceMappingURL=data:application/json;base64,ewogICJ2ZXJzaW9uIjogMywKICAic291cmNlcyI6IFsiLi4vc3JjL21haW4udHMiLCAiLi4vc3JjL3ByaWNpbmcudHMiLCAiLi4vc3JjL2NhcnQudHMiXSwKICAic291cmNlc0NvbnRlbnQiOiBbImltcG9ydCB7IENhcnQgfSBmcm9tIFwiLi9jYXJ0XCI7XG5cbmRlY2xhcmUgY29uc3QgcHJvY2VzczogeyBhcmd2OiBzdHJpbmdbXSB9O1xuZGVjbGFyZSBjb25zdCBjb25zb2xlOiB7IGxvZyguLi5hcmdzOiB1bmtub3duW10pOiB2b2lkIH07XG5cbmV4cG9ydCBmdW5jdGlvbiBjaGVja291dChza3VzOiBzdHJpbmdbXSk6IG51bWJlciB7XG4gIGNvbnN0IGNhcnQgPSBuZXcgQ2FydCgpO1xuICBmb3IgKGNvbnN0IHNrdSBvZiBza3VzKSB7XG4gICAgY2FydC5hZGQoc2t1KTtcbiAgfVxuICByZXR1cm4gY2FydC50b3RhbCgpO1xufVxuXG5jb25zdCB3YW50ZWQgPSBwcm9jZXNzLmFyZ3Yuc2xpY2UoMik7XG5jb25zb2xlLmxvZyhjaGVja291dCh3YW50ZWQubGVuZ3RoID8gd2FudGVkIDogW1wiYXBwbGVcIiwgXCJraXdpXCJdKSk7XG4iLCAiZXhwb3J0IGludGVyZmFjZSBQcmljZSB7XG4gIHNrdTogc3RyaW5nO1xuICBjZW50czogbnVtYmVyO1xufVxuXG5jb25zdCBUQUJMRTogUmVjb3JkPHN0cmluZywgbnVtYmVyPiA9IHsgYXBwbGU6IDEyMCwgcGVhcjogOTUgfTtcblxuZXhwb3J0IGZ1bmN0aW9uIHByaWNlT2Yoc2t1OiBzdHJpbmcpOiBQcmljZSB7XG4gIGNvbnN0IGNlbnRzID0gVEFCTEVbc2t1XTtcbiAgaWYgKGNlbnRzID09PSB1bmRlZmluZWQpIHtcbiAgICB0aHJvdyBuZXcgUmFuZ2VFcnJvcihgbm8gcHJpY2UgZm9yICR7c2t1fWApO1xuICB9XG4gIHJldHVybiB7IHNrdSwgY2VudHMgfTtcbn1cbiIsICJpbXBvcnQgeyBwcmljZU9mIH0gZnJvbSBcIi4vcHJpY2luZ1wiO1xuXG5pbnRlcmZhY2UgTGluZSB7XG4gIHNrdTogc3RyaW5nO1xuICBxdHk6IG51bWJlcjtcbiAgY2VudHM6IG51bWJlcjtcbn1cblxuZXhwb3J0IGNsYXNzIENhcnQge1xuICBwcml2YXRlIGxpbmVzOiBMaW5lW10gPSBbXTtcblxuICBhZGQoc2t1OiBzdHJpbmcsIHF0eSA9IDEpOiB0aGlzIHtcbiAgICBjb25zdCBwcmljZSA9IHByaWNlT2Yoc2t1KTtcbiAgICB0aGlzLmxpbmVzLnB1c2goeyBza3UsIHF0eSwgY2VudHM6IHByaWNlLmNlbnRzICogcXR5IH0pO1xuICAgIHJldHVybiB0aGlzO1xuICB9XG5cbiAgdG90YWwoKTogbnVtYmVyIHtcbiAgICByZXR1cm4gdGhpcy5saW5lcy5yZWR1Y2UoKHN1bSwgbGluZSkgPT4gc3VtICsgbGluZS5jZW50cywgMCk7XG4gIH1cbn1cbiJdLAogICJtYXBwaW5ncyI6ICI7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7O0FBQUE7QUFBQTtBQUFBO0FBQUE7QUFBQTs7O0FDS0EsSUFBTSxRQUFnQyxFQUFFLE9BQU8sS0FBSyxNQUFNLEdBQUc7QUFFdEQsU0FBUyxRQUFRLEtBQW9CO0FBQzFDLFFBQU0sUUFBUSxNQUFNLEdBQUc7QUFDdkIsTUFBSSxVQUFVLFFBQVc7QUFDdkIsVUFBTSxJQUFJLFdBQVcsZ0JBQWdCLEdBQUcsRUFBRTtBQUFBLEVBQzVDO0FBQ0EsU0FBTyxFQUFFLEtBQUssTUFBTTtBQUN0Qjs7O0FDTE8sSUFBTSxPQUFOLE1BQVc7QUFBQSxFQUFYO0FBQ0wsU0FBUSxRQUFnQixDQUFDO0FBQUE7QUFBQSxFQUV6QixJQUFJLEtBQWEsTUFBTSxHQUFTO0FBQzlCLFVBQU0sUUFBUSxRQUFRLEdBQUc7QUFDekIsU0FBSyxNQUFNLEtBQUssRUFBRSxLQUFLLEtBQUssT0FBTyxNQUFNLFFBQVEsSUFBSSxDQUFDO0FBQ3RELFdBQU87QUFBQSxFQUNUO0FBQUEsRUFFQSxRQUFnQjtBQUNkLFdBQU8sS0FBSyxNQUFNLE9BQU8sQ0FBQyxLQUFLLFNBQVMsTUFBTSxLQUFLLE9BQU8sQ0FBQztBQUFBLEVBQzdEO0FBQ0Y7OztBRmZPLFNBQVMsU0FBUyxNQUF3QjtBQUMvQyxRQUFNLE9BQU8sSUFBSSxLQUFLO0FBQ3RCLGFBQVcsT0FBTyxNQUFNO0FBQ3RCLFNBQUssSUFBSSxHQUFHO0FBQUEsRUFDZDtBQUNBLFNBQU8sS0FBSyxNQUFNO0FBQ3BCO0FBRUEsSUFBTSxTQUFTLFFBQVEsS0FBSyxNQUFNLENBQUM7QUFDbkMsUUFBUSxJQUFJLFNBQVMsT0FBTyxTQUFTLFNBQVMsQ0FBQyxTQUFTLE1BQU0sQ0FBQyxDQUFDOyIsCiAgIm5hbWVzIjogW10KfQo=
