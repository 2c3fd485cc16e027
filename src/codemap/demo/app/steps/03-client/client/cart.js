// Cart arithmetic for the checkout page. Mirrors shop/pricing.py: keep in step.

export const COUPONS = { WELCOME10: 0.1, VIP20: 0.2 };

export function linePrice(line) {
  return line.quantity * line.unitPrice;
}

export function cartTotal(lines, coupon = "") {
  const subtotal = lines.reduce((sum, line) => sum + linePrice(line), 0);
  const rate = COUPONS[coupon.toUpperCase()] ?? 0;
  return Math.round(subtotal * (1 - rate));
}

export function formatCents(cents, currency = "EUR") {
  return new Intl.NumberFormat("en", { style: "currency", currency }).format(cents / 100);
}
