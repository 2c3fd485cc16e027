"""Prices in cents: line prices, bulk tiers and coupon discounts.

The checkout client mirrors these rules in client/cart.js; change both.
"""

COUPONS = {"WELCOME10": 0.10, "VIP20": 0.20}

# units of one product -> discount on that line
BULK_TIERS = {10: 0.05, 25: 0.08, 50: 0.12}


def bulk_rate(quantity):
    """The bulk discount rate for ``quantity`` units of one product."""
    if quantity < 10:
        return 0.0
    tier = max(10, quantity // 25 * 25)
    return BULK_TIERS[tier]


def line_price(line):
    """The price of one order line, after its bulk discount."""
    gross = line.quantity * line.unit_price
    return round(gross * (1 - bulk_rate(line.quantity)))


def apply_coupon(subtotal, coupon):
    """``subtotal`` after the coupon's discount (unknown coupons give none)."""
    if not coupon:
        return subtotal
    rate = COUPONS.get(coupon.upper(), 0.0)
    return round(subtotal * (1 - rate))
