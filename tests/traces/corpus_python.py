"""A small Python project whose code raises in many ways, to produce real tracebacks.

Every line that can appear in a frame ends with ``# @sym: X``: the symbol a
correct mapper must land on (a qualname suffix, ``<module>`` for top-level
code, ``-`` when only file and line can be checked). The tests read these
markers from the source as ground truth, independently of the index.
"""

from __future__ import annotations

FILES: dict[str, str] = {}

FILES["shop/__init__.py"] = '"""The shop package."""\n'

FILES["shop/models.py"] = '''\
"""Cart and items: the domain model."""
import functools


def audited(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)  # @sym: audited.wrapper
    return wrapper


class Cart:
    def __init__(self, items):
        if items is None:
            raise ValueError("a cart needs items")  # @sym: Cart.__init__
        self.items = items

    @property
    def total(self):
        return sum(item["price"] for item in self.items)  # @sym: Cart.total

    @audited
    def checkout(self, coupon):
        discount = Pricing.discount(coupon)  # @sym: Cart.checkout
        return self.total - discount  # @sym: Cart.checkout

    @classmethod
    def empty(cls):
        return cls(None)  # @sym: Cart.empty

    class Line:
        def __init__(self, qty):
            self.qty = int(qty)  # @sym: Cart.Line.__init__


class Pricing:
    RATES = {"HALF": 0.5}

    @staticmethod
    def discount(code):
        return Pricing.RATES[code]  # @sym: Pricing.discount
'''

FILES["shop/service.py"] = '''\
"""Checkout service: calls into the model."""
import asyncio
import logging

from shop.models import Cart

log = logging.getLogger("shop.service")


def place_order(items, coupon):
    cart = Cart(items)  # @sym: place_order
    return cart.checkout(coupon)  # @sym: place_order


def place_with_context(items):
    try:
        return place_order(items, "NOPE")  # @sym: place_with_context
    except KeyError:
        return Cart.empty()  # @sym: place_with_context


def place_with_cause(items):
    try:
        return place_order(items, "NOPE")  # @sym: place_with_cause
    except KeyError as exc:
        raise RuntimeError("order failed") from exc  # @sym: place_with_cause


def validate_all(batches):
    errors = []
    for batch in batches:
        try:
            Cart(batch).Line(batch[0]["qty"])  # @sym: validate_all
        except (ValueError, TypeError) as exc:
            errors.append(exc)
    raise ExceptionGroup("invalid", [errors[0], ExceptionGroup("nested", errors[1:])])  # @sym: validate_all


def recurse(n):
    return recurse(n + 1)  # @sym: recurse


def make_handler(factor):
    def handle(value):
        return value / factor  # @sym: make_handler.handle
    return handle


async def fetch(items):
    await asyncio.sleep(0)  # @sym: fetch
    return place_order(items, "NOPE")  # @sym: fetch


async def gather_orders(items):
    return await asyncio.gather(fetch(items))  # @sym: gather_orders


def logged(items):
    try:
        place_order(items, "NOPE")  # @sym: logged
    except Exception:
        log.exception("order failed for %d items", len(items))
'''

FILES["shop/broken.py"] = '''\
"""A module with a syntax error, imported by one scenario only."""
def oops(:  # @sym: -
    pass
'''

FILES["shop/run.py"] = '''\
"""Entry point: python -m shop.run SCENARIO."""
import asyncio
import logging
import sys
import threading

from shop import service

ITEMS = [{"price": 10}]
BATCHES = [None, [{"qty": "x", "price": 1}], [{"qty": None, "price": 1}]]


def main(name):
    if name == "plain":
        service.place_order(ITEMS, "NOPE")  # @sym: main
    elif name == "cause":
        service.place_with_cause(ITEMS)  # @sym: main
    elif name == "context":
        service.place_with_context(ITEMS)  # @sym: main
    elif name == "group":
        service.validate_all(BATCHES)  # @sym: main
    elif name == "syntax":
        import shop.broken  # noqa: F401  # @sym: main
    elif name == "recursion":
        service.recurse(0)  # @sym: main
    elif name == "closure":
        service.make_handler(0)(1)  # @sym: main
    elif name == "async":
        asyncio.run(service.gather_orders(ITEMS))  # @sym: main
    elif name == "logging":
        logging.basicConfig(format="%(asctime)s %(levelname)s [%(name)s] %(message)s")
        service.logged(ITEMS)  # @sym: main
    elif name == "thread":
        worker = threading.Thread(target=service.place_order, args=(ITEMS, "NOPE"))
        worker.start()
        worker.join()


if __name__ == "__main__":
    main(sys.argv[1])  # @sym: <module>
'''

FILES["tests/__init__.py"] = ""

FILES["tests/test_shop.py"] = '''\
from shop import service
from shop.models import Cart


def test_order():
    assert service.place_order([{"price": 1}], "HALF") == 0.5


def test_bad_coupon():
    service.place_order([{"price": 1}], "NOPE")  # @sym: test_bad_coupon


def test_total():
    cart = Cart([{"price": 2}])
    assert cart.total == 3  # @sym: test_total


def test_chained():
    service.place_with_cause([{"price": 1}])  # @sym: test_chained


class TestCart:
    def test_empty(self):
        Cart.empty()  # @sym: TestCart.test_empty
'''

SCENARIOS = ("plain", "cause", "context", "group", "syntax", "recursion", "closure", "async",
             "logging", "thread")
PYTEST_MODES = ("long", "short", "auto", "native", "line")
