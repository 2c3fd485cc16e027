package com.acme.ingest;

/** Where processed records go. */
public interface Sink {
    void write(Object record);

    void write(Object record, String tag);
}
