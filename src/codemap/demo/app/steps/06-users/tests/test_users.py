import unittest

from shop import users


class UserTests(unittest.TestCase):
    def test_display_name_falls_back_to_the_email(self):
        self.assertEqual(users.display_name(users.find_user(3)), "orders")

    def test_unknown_user(self):
        with self.assertRaises(users.UserNotFound):
            users.find_user(99)
