package com.acme.ingest.log;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/** Every line carries the time, level and thread, as container log collectors print them. */
public class PrefixFormatter extends Formatter {
    @Override
    public String format(LogRecord record) {
        String prefix = Instant.ofEpochMilli(record.getMillis()) + " " + record.getLevel().getName()
                + " [" + Thread.currentThread().getName() + "] ";
        StringWriter text = new StringWriter();
        text.append(record.getLoggerName()).append(" - ").append(record.getMessage()).append('\n');
        if (record.getThrown() != null) {
            record.getThrown().printStackTrace(new PrintWriter(text));
        }
        StringBuilder out = new StringBuilder();
        for (String line : text.toString().split("\n")) {
            out.append(prefix).append(line).append('\n');
        }
        return out.toString();
    }
}
