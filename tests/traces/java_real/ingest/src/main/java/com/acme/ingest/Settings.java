package com.acme.ingest;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Process-wide settings read once from the environment-like defaults. */
public final class Settings {
    static final Map<String, String> DEFAULTS = new HashMap<>();
    static final Supplier<Integer> BATCH;

    static {
        DEFAULTS.put("batch", "fifty");
        BATCH = () -> Integer.parseInt(DEFAULTS.get("batch")); // @sym: Settings
    }

    static final int BATCH_SIZE = BATCH.get(); // @sym: Settings

    private Settings() {
    }

    public static int batchSize() {
        return BATCH_SIZE;
    }
}
