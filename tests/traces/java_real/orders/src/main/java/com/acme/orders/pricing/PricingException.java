package com.acme.orders.pricing;

/** A price rule produced an impossible total. */
public class PricingException extends RuntimeException {
    public PricingException(String message) {
        super(message);
    }

    public PricingException(String message, Throwable cause) {
        super(message, cause);
    }
}
