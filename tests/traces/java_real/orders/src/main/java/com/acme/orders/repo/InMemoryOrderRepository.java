package com.acme.orders.repo;

import com.acme.orders.model.Order;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Orders in a map; good enough for tests and the demo. */
public class InMemoryOrderRepository implements Repository<Order, Long> {
    private final Map<Long, Order> byId = new HashMap<>();

    @Override
    public Optional<Order> find(Long id) {
        return Optional.ofNullable(byId.get(id));
    }

    @Override
    public Order save(Order order) {
        byId.put(order.id(), order);
        return order;
    }
}
