package com.acme.ingest.stage;

import java.util.LinkedHashMap;
import java.util.Map;

/** key=value;key=value text into a map. */
public class ParseStage extends Stage<String, Map<String, String>> { // @sym: ParseStage|ParseStage.process
    @Override
    protected Map<String, String> process(String line) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : line.split(";")) {
            int eq = pair.indexOf('=');
            out.put(pair.substring(0, eq), pair.substring(eq + 1)); // @sym: ParseStage.process
        }
        return out;
    }
}
