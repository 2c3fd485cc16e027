package com.acme.ingest.log;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/** One JSON object per line, as log shippers want; the stack trace is one escaped field. */
public class JsonFormatter extends Formatter {
    @Override
    public String format(LogRecord record) {
        StringBuilder out = new StringBuilder("{");
        field(out, "ts", Instant.ofEpochMilli(record.getMillis()).toString()).append(',');
        field(out, "level", record.getLevel().getName()).append(',');
        field(out, "logger", record.getLoggerName()).append(',');
        field(out, "msg", record.getMessage());
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            field(out.append(','), "stack_trace", trace.toString());
        }
        return out.append("}\n").toString();
    }

    private static StringBuilder field(StringBuilder out, String key, String value) {
        out.append('"').append(key).append("\":\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        return out.append('"');
    }
}
