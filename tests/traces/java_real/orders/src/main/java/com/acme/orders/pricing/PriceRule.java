package com.acme.orders.pricing;

import com.acme.orders.model.Order;

/** A pricing step applied to an order total. */
public interface PriceRule {
    long apply(Order order, long cents);

    default String describe() {
        return getClass().getSimpleName();
    }
}
