package com.acme.orders.pricing;

import com.acme.orders.model.Order;

/** Common checks for rules: the total never goes negative. */
public abstract class AbstractRule implements PriceRule {
    private final String name;

    protected AbstractRule(String name) {
        this.name = name;
    }

    @Override
    public final long apply(Order order, long cents) {
        long out = adjust(order, cents); // @sym: AbstractRule.apply
        if (out < 0) {
            throw new PricingException(name + " made the total negative: " + out); // @sym: AbstractRule.apply
        }
        return out;
    }

    protected abstract long adjust(Order order, long cents);
}
