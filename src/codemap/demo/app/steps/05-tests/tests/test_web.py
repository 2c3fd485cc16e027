import json
import unittest

from shop.app import app
from shop.web import NotFound, Request


class DispatchTests(unittest.TestCase):
    def test_get_order(self):
        response = app.dispatch(Request("GET", "/orders/7"))
        self.assertEqual(json.loads(response.body)["order"]["total"], 4410)

    def test_unknown_route(self):
        with self.assertRaises(NotFound):
            app.dispatch(Request("GET", "/nothing"))
