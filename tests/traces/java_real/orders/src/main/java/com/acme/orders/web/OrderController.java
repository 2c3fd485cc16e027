package com.acme.orders.web;

import com.acme.orders.model.Order;
import com.acme.orders.service.OrderService;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** HTTP API over {@link OrderService}. */
@RestController
@RequestMapping("/api/orders")
public class OrderController {
    private final OrderService service;

    public OrderController(OrderService service) {
        this.service = service;
    }

    @GetMapping("/{id}")
    public Order show(@PathVariable long id) {
        return service.get(id); // @sym: OrderController.show
    }

    @GetMapping(value = "/{id}/total", produces = "application/json")
    public long total(@PathVariable("id") long id) {
        return service.total(id); // @sym: OrderController.total
    }

    @GetMapping("/totals")
    public Map<String, Long> totals(@RequestParam("ids") String ids) {
        return service.totalsByCustomer(OrderService.Ids.parse(ids)); // @sym: OrderController.totals
    }

    @PostMapping("/{id}/advance")
    public Order advance(@PathVariable long id) {
        return service.advance(id); // @sym: OrderController.advance
    }

    @DeleteMapping(path = "/{id}/lines/{sku}")
    public List<Order.Line> removeLine(@PathVariable long id, @PathVariable String sku) {
        return service.get(id).lines(); // @sym: OrderController.removeLine
    }
}
