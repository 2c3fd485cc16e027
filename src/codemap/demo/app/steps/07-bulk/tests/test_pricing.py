import unittest

from shop.orders import OrderLine
from shop.pricing import apply_coupon, bulk_rate, line_price


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


class BulkRateTests(unittest.TestCase):
    def test_small_orders_pay_full_price(self):
        self.assertEqual(bulk_rate(9), 0.0)

    def test_bulk_tiers(self):
        self.assertEqual(bulk_rate(12), 0.05)
        self.assertEqual(bulk_rate(30), 0.08)
        self.assertEqual(bulk_rate(50), 0.12)

    def test_bulk_line_price(self):
        self.assertEqual(line_price(OrderLine("TEA-BLACK", 30, 700)), 19320)
