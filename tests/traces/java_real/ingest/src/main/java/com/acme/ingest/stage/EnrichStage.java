package com.acme.ingest.stage;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/** Adds derived fields; the lookups are configured once at construction. */
public class EnrichStage extends Stage<Map<String, String>, Map<String, Object>> { // @sym: EnrichStage|EnrichStage.process
    private final Function<String, Integer> weight;

    public EnrichStage(Map<String, Integer> weights) {
        this.weight = key -> weights.get(key) * 10; // @sym: EnrichStage.EnrichStage
    }

    @Override
    protected Map<String, Object> process(Map<String, String> record) {
        Map<String, Object> out = new HashMap<>(record);
        out.put("weight", weight.apply(record.get("kind"))); // @sym: EnrichStage.process
        return out;
    }
}
