import json
import tempfile
import unittest
from pathlib import Path

from shop import store
from shop.orders import Order, OrderLine, order_total


class OrderTotalTests(unittest.TestCase):
    def test_total_with_coupon(self):
        order = Order(1, "ada@example.org", [OrderLine("MUG-01", 2, 1250)], "WELCOME10")
        self.assertEqual(order_total(order), 2250)

    def test_to_dict(self):
        order = Order(1, "ada@example.org", [OrderLine("TEA-GREEN", 1, 800)])
        self.assertEqual(order.to_dict()["total"], 800)


class StoreTests(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.path = Path(self.dir.name) / "orders.json"
        self.path.write_text(json.dumps({"3": {"customer": "c@example.org", "lines": []}}))

    def tearDown(self):
        self.dir.cleanup()

    def test_find_order(self):
        self.assertEqual(store.find_order(3, self.path).customer, "c@example.org")

    def test_missing_order(self):
        with self.assertRaises(store.OrderNotFound):
            store.find_order(4, self.path)

    def test_add_order(self):
        order = store.add_order({"customer": "d@example.org", "coupon": "", "lines": []},
                                self.path)
        self.assertEqual(order.id, 4)
