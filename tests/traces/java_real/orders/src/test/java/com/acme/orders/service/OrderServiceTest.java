package com.acme.orders.service;

import com.acme.orders.model.Order;
import com.acme.orders.model.Status;
import com.acme.orders.pricing.DiscountRule;
import com.acme.orders.repo.InMemoryOrderRepository;
import java.util.List;

/** Checks of OrderService without a test framework: each check throws on failure. */
public class OrderServiceTest {
    private final InMemoryOrderRepository repo = new InMemoryOrderRepository();
    private final OrderService service = new OrderService(repo, List.of(new DiscountRule(10)));

    void discountIsApplied() {
        repo.save(new Order(1, "gold", Status.NEW, List.of(new Order.Line("A", 3, 999))));
        long total = service.total(1L); // @sym: OrderServiceTest.discountIsApplied
        check(total == 2697, "expected 2697 cents, got " + total); // @sym: OrderServiceTest.discountIsApplied
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new AssertionError(message); // @sym: OrderServiceTest.check
        }
    }

    public static void main(String[] args) {
        new OrderServiceTest().discountIsApplied(); // @sym: OrderServiceTest.main
    }
}
