"""Order storage: the service keeps its orders in a JSON file next to the code."""

import json
from pathlib import Path

from shop.orders import Order

DATA = Path(__file__).parent / "data" / "orders.json"


class OrderNotFound(LookupError):
    """No order has this id."""


def load_orders(path=DATA):
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    return {int(key): Order.from_dict(int(key), value) for key, value in raw.items()}


def find_order(order_id, path=DATA):
    orders = load_orders(path)
    if order_id not in orders:
        raise OrderNotFound(f"no order {order_id}")
    return orders[order_id]
