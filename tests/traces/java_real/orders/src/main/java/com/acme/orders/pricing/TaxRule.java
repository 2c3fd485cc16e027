package com.acme.orders.pricing;

import com.acme.orders.model.Order;
import java.util.Map;

/** Sales tax by customer region. */
public class TaxRule extends AbstractRule {
    private final Map<String, Integer> ratesPerMille;

    public TaxRule(Map<String, Integer> ratesPerMille) {
        super("tax");
        this.ratesPerMille = ratesPerMille;
    }

    @Override
    protected long adjust(Order order, long cents) {
        int rate = ratesPerMille.get(order.customer()); // @sym: TaxRule.adjust
        return cents + cents * rate / 1000;
    }
}
