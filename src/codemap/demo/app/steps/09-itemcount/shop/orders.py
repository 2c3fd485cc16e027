"""Orders and their totals (prices are in cents, computed by shop.pricing)."""

from dataclasses import dataclass, field

from shop.pricing import apply_coupon, line_price


class PricingError(Exception):
    """An order line could not be priced."""


@dataclass
class OrderLine:
    sku: str
    quantity: int
    unit_price: int

    def to_dict(self):
        return {"sku": self.sku, "quantity": self.quantity, "unit_price": self.unit_price}


@dataclass
class Order:
    id: int
    customer: str
    lines: list = field(default_factory=list)
    coupon: str = ""

    @classmethod
    def from_dict(cls, order_id, data):
        lines = [OrderLine(item["sku"], item["quantity"], item["unit_price"])
                 for item in data["lines"]]
        return cls(order_id, data["customer"], lines, data.get("coupon", ""))

    def to_dict(self):
        return {
            "id": self.id,
            "customer": self.customer,
            "lines": [line.to_dict() for line in self.lines],
            "items": sum(line.quantity for line in self.lines),
            "total": order_total(self),
        }


def order_total(order):
    subtotal = 0
    for line in order.lines:
        try:
            subtotal += line_price(line)
        except (KeyError, ValueError) as exc:
            raise PricingError(
                f"cannot price {line.quantity} x {line.sku} in order {order.id}"
            ) from exc
    return apply_coupon(subtotal, order.coupon)
