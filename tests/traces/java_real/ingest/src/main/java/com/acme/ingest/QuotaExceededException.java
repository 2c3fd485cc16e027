package com.acme.ingest;

/** A sink refused a record. */
public class QuotaExceededException extends RuntimeException {
    public QuotaExceededException(String tag, Object record) {
        super("quota exceeded for " + tag + ": " + record);
    }
}
