package com.acme.orders.service;

/** No order with that id. */
public class OrderNotFoundException extends RuntimeException {
    private final long id;

    public OrderNotFoundException(long id) {
        super("order " + id + " not found");
        this.id = id;
    }

    public long id() {
        return id;
    }
}
