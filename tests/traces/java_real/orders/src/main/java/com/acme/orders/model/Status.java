package com.acme.orders.model;

/** The life cycle of an order; each state knows its successor. */
public enum Status { // @sym: Status
    NEW("new") {
        @Override
        public Status next() {
            return PAID;
        }
    },
    PAID("paid") {
        @Override
        public Status next() {
            return SHIPPED;
        }
    },
    SHIPPED("shipped") {
        @Override
        public Status next() {
            throw new IllegalStateException("order already " + label()); // @sym: next
        }
    };

    private final String label;

    Status(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public abstract Status next();

    public static Status parse(String text) {
        for (Status s : values()) {
            if (s.label.equals(text)) {
                return s;
            }
        }
        return Status.valueOf(text); // @sym: Status.parse
    }
}
