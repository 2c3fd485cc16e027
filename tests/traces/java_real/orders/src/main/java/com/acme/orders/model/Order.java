package com.acme.orders.model;

import java.util.List;
import java.util.Objects;

/** An order as stored: immutable, validated on construction. */
public record Order(long id, String customer, Status status, List<Line> lines) {

    public Order {
        Objects.requireNonNull(customer, "customer"); // @sym: Order.Order
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("order " + id + " has no lines"); // @sym: Order.Order
        }
        lines = List.copyOf(lines);
    }

    public long totalCents() {
        return lines.stream().mapToLong(Line::totalCents).sum(); // @sym: Order.totalCents
    }

    /** One line of an order. */
    public record Line(String sku, int qty, long unitCents) {
        public long totalCents() {
            return Math.multiplyExact(unitCents, (long) qty); // @sym: Order.Line.totalCents
        }
    }
}
