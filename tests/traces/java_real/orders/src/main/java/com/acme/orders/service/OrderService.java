package com.acme.orders.service;

import com.acme.orders.model.Order;
import com.acme.orders.model.Status;
import com.acme.orders.pricing.PriceRule;
import com.acme.orders.pricing.PricingException;
import com.acme.orders.repo.Repository;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Business operations on orders. */
public class OrderService {
    private static final Map<String, Integer> PRIORITY;

    static {
        PRIORITY = Map.of("gold", 0, "silver", 1);
    }

    private final Repository<Order, Long> repository;
    private final List<PriceRule> rules;

    public OrderService(Repository<Order, Long> repository, List<PriceRule> rules) {
        this.repository = repository;
        this.rules = new ArrayList<>(rules);
    }

    public Order get(long id) {
        return repository.find(id).orElseThrow(() -> new OrderNotFoundException(id)); // @sym: OrderService.get
    }

    /** The total after every rule. */
    public long total(Order order) {
        long cents = order.totalCents(); // @sym: OrderService.total
        for (PriceRule rule : rules) {
            cents = total(order, rule, cents); // @sym: OrderService.total
        }
        return cents;
    }

    /** The total after one rule. */
    public long total(Order order, PriceRule rule, long cents) {
        try {
            return rule.apply(order, cents); // @sym: OrderService.total
        } catch (NullPointerException e) {
            throw new PricingException("rule " + rule.describe() + " failed on order " + order.id(), e); // @sym: OrderService.total
        }
    }

    public long total(long id) {
        return total(get(id)); // @sym: OrderService.total
    }

    public Map<String, Long> totalsByCustomer(List<Long> ids) {
        return ids.stream()
                .map(this::get) // @sym: OrderService.totalsByCustomer
                .collect(Collectors.groupingBy(Order::customer, // @sym: OrderService.totalsByCustomer
                        Collectors.summingLong(o -> total(o)))); // @sym: OrderService.totalsByCustomer
    }

    public List<Order> byPriority(List<Order> orders) {
        List<Order> sorted = new ArrayList<>(orders);
        sorted.sort(new Comparator<Order>() { // @sym: OrderService.byPriority
            @Override
            public int compare(Order a, Order b) {
                return Integer.compare(rank(a), rank(b)); // @sym: compare
            }
        });
        return sorted;
    }

    static int rank(Order order) {
        return PRIORITY.get(order.customer()); // @sym: OrderService.rank
    }

    public Order advance(long id) {
        Order o = get(id);
        Status next = o.status().next(); // @sym: OrderService.advance
        return repository.save(new Order(o.id(), o.customer(), next, o.lines()));
    }

    /** A report over a batch, one line per order. */
    public class Report {
        private final List<Long> ids;

        public Report(List<Long> ids) {
            this.ids = ids;
        }

        public String render() {
            StringBuilder out = new StringBuilder();
            ids.forEach(id -> out.append(id).append(": ").append(total(id)).append('\n')); // @sym: OrderService.Report.render
            return out.toString();
        }
    }

    /** Parses "id,id,id" query parameters. */
    public static class Ids {
        private Ids() {
        }

        public static List<Long> parse(String csv) {
            List<Long> out = new ArrayList<>();
            for (String part : csv.split(",")) {
                out.add(Long.valueOf(part.trim())); // @sym: OrderService.Ids.parse
            }
            return out;
        }
    }
}
