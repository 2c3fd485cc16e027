package com.acme.orders.pricing;

import com.acme.orders.model.Order;

/** A percentage off, capped at the order total. */
public class DiscountRule extends AbstractRule {
    private final int percent;

    public DiscountRule(int percent) {
        super("discount");
        this.percent = percent;
    }

    @Override
    protected long adjust(Order order, long cents) {
        return cents - cents * percent / 100; // @sym: DiscountRule.adjust
    }
}
