"""Prices in cents: line prices and coupon discounts.

The checkout client mirrors these rules in client/cart.js; change both.
"""

COUPONS = {"WELCOME10": 0.10, "VIP20": 0.20}


def line_price(line):
    """The price of one order line."""
    return line.quantity * line.unit_price


def apply_coupon(subtotal, coupon):
    """``subtotal`` after the coupon's discount (unknown coupons give none)."""
    if not coupon:
        return subtotal
    rate = COUPONS.get(coupon.upper(), 0.0)
    return round(subtotal * (1 - rate))
