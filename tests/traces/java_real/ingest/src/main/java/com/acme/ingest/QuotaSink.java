package com.acme.ingest;

/** Accepts a fixed number of records, then refuses. */
public class QuotaSink implements Sink {
    private int left;

    public QuotaSink(int quota) {
        this.left = quota;
    }

    @Override
    public void write(Object record) {
        write(record, "default"); // @sym: QuotaSink.write
    }

    @Override
    public void write(Object record, String tag) {
        if (left-- <= 0) {
            throw new QuotaExceededException(tag, record); // @sym: QuotaSink.write
        }
    }
}
