package com.acme.ingest;

/** Prints records; used in development. */
public class ConsoleSink implements Sink {
    @Override
    public void write(Object record) {
        write(record, "out"); // @sym: ConsoleSink.write
    }

    @Override
    public void write(Object record, String tag) {
        System.out.println(tag + ": " + record);
    }
}
