package com.acme.ingest;

import com.acme.ingest.stage.Stage;
import java.util.List;
import java.util.stream.Collectors;

/** Two stages chained over a batch. */
public class Pipeline<A, B, C> {
    private final Stage<A, B> first;
    private final Stage<B, C> second;

    public Pipeline(Stage<A, B> first, Stage<B, C> second) {
        this.first = first;
        this.second = second;
    }

    public List<C> runAll(List<A> batch) {
        return batch.stream().map(first::run).map(second::run).collect(Collectors.toList()); // @sym: Pipeline.runAll
    }

    public C runOne(A item) {
        return second.run(first.run(item)); // @sym: Pipeline.runOne
    }
}
