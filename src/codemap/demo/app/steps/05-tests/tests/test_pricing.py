import unittest

from shop.orders import OrderLine
from shop.pricing import apply_coupon, line_price


class CouponTests(unittest.TestCase):
    def test_no_coupon_keeps_the_subtotal(self):
        self.assertEqual(apply_coupon(1000, ""), 1000)

    def test_welcome_coupon(self):
        self.assertEqual(apply_coupon(1000, "welcome10"), 900)

    def test_unknown_coupon_is_ignored(self):
        self.assertEqual(apply_coupon(1000, "NOPE"), 1000)


class LinePriceTests(unittest.TestCase):
    def test_line_price(self):
        self.assertEqual(line_price(OrderLine("MUG-01", 2, 1250)), 2500)
