package com.acme.ingest.stage;

/** One step of a pipeline; counts what passes through it. */
public abstract class Stage<I, O> {
    private int seen;

    public final O run(I input) {
        seen++;
        return process(input); // @sym: Stage.run
    }

    protected abstract O process(I input);

    public int seen() {
        return seen;
    }
}
