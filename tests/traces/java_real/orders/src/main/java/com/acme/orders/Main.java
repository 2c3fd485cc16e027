package com.acme.orders;

import com.acme.orders.model.Order;
import com.acme.orders.model.Status;
import com.acme.orders.pricing.DiscountRule;
import com.acme.orders.pricing.PriceRule;
import com.acme.orders.pricing.TaxRule;
import com.acme.orders.repo.CsvOrderSource;
import com.acme.orders.repo.InMemoryOrderRepository;
import com.acme.orders.service.OrderService;
import com.acme.orders.web.OrderController;
import java.io.StringReader;
import java.util.List;
import java.util.Map;

/** Runs one scenario of the demo service; failures escape main on purpose. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        InMemoryOrderRepository repo = new InMemoryOrderRepository();
        for (Order o : new CsvOrderSource("1,gold,new,A:2:500;B:1:250\n2,bronze,shipped,C:1:100\n").readAll()) {
            repo.save(o);
        }
        List<PriceRule> rules = List.of(new DiscountRule(10), new TaxRule(Map.of("gold", 80)));
        OrderService service = new OrderService(repo, rules);
        OrderController web = new OrderController(service);
        run(args[0], repo, service, web); // @sym: Main.main
    }

    static void run(String scenario, InMemoryOrderRepository repo, OrderService service,
                    OrderController web) throws Exception {
        switch (scenario) {
            case "not-found" -> web.show(99); // @sym: Main.run
            case "wrapped" -> web.total(2); // @sym: Main.run
            case "stream" -> web.totals("1, 7"); // @sym: Main.run
            case "anonymous" -> service.byPriority(List.of(service.get(1), service.get(2))); // @sym: Main.run
            case "enum" -> web.advance(2); // @sym: Main.run
            case "csv" -> new CsvOrderSource("3,gold,new").readAll(); // @sym: Main.run
            case "record" -> repo.save(new Order(3, "gold", Status.NEW, List.of())); // @sym: Main.run
            case "overflow" -> service.total(new Order(4, "gold", Status.NEW, // @sym: Main.run
                    List.of(new Order.Line("D", Integer.MAX_VALUE, Long.MAX_VALUE / 2))));
            case "suppressed" -> {
                try (CsvOrderSource src = new CsvOrderSource(new StringReader("5,gold,new,E:x:1"), true)) { // @sym: Main.run
                    src.readAll(); // @sym: Main.run
                }
            }
            case "inner" -> service.new Report(List.of(1L, 8L)).render(); // @sym: Main.run
            case "valueof" -> Status.parse("lost"); // @sym: Main.run
            default -> throw new IllegalArgumentException("unknown scenario " + scenario);
        }
    }
}
