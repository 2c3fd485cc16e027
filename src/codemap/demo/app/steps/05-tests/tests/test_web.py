import unittest

from shop.app import app


class ApiTests(unittest.TestCase):
    def setUp(self):
        app.testing = True
        self.client = app.test_client()

    def test_get_order(self):
        response = self.client.get("/orders/7")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.get_json()["order"]["total"], 4410)

    def test_unknown_order(self):
        self.assertEqual(self.client.get("/orders/999").status_code, 404)
