package com.acme.ingest;

import com.acme.ingest.log.JsonFormatter;
import com.acme.ingest.log.PrefixFormatter;
import com.acme.ingest.stage.EnrichStage;
import com.acme.ingest.stage.ParseStage;
import java.util.List;
import java.util.Map;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The ingest worker: runs one scenario; some failures are logged, some escape. */
public final class Main {
    private static final Logger LOG = Logger.getLogger(Main.class.getName());

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Pipeline<String, Map<String, String>, Map<String, Object>> pipeline =
                new Pipeline<>(new ParseStage(), new EnrichStage(Map.of("click", 1, "view", 2)));
        switch (args[0]) {
            case "thread" -> startWorker(pipeline); // @sym: Main.main
            case "clinit" -> System.out.println(Settings.batchSize()); // @sym: Main.main
            case "deep" -> cycle().eval(); // @sym: Main.main
            case "jul" -> logged(pipeline, null); // @sym: Main.main
            case "prefixed" -> logged(pipeline, new PrefixFormatter()); // @sym: Main.main
            case "json" -> logged(pipeline, new JsonFormatter()); // @sym: Main.main
            case "quota" -> drain(new QuotaSink(1), List.of("kind=view", "kind=click\nkind=view")); // @sym: Main.main
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    static void startWorker(Pipeline<String, Map<String, String>, Map<String, Object>> pipeline)
            throws InterruptedException {
        Thread worker = new Thread(() -> pipeline.runAll(List.of("kind=click", "kind=scroll")), "worker-1"); // @sym: Main.startWorker
        worker.start();
        worker.join();
    }

    static Expr cycle() {
        Expr root = new Expr(0);
        root.left = root;
        root.right = new Expr(1);
        return root;
    }

    static void logged(Pipeline<String, Map<String, String>, Map<String, Object>> pipeline, Formatter format) {
        if (format != null) {
            LOG.setUseParentHandlers(false);
            ConsoleHandler handler = new ConsoleHandler();
            handler.setFormatter(format);
            LOG.addHandler(handler);
        }
        try {
            pipeline.runOne("kind"); // @sym: Main.logged
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "batch failed", new IllegalStateException("record 1 rejected", e)); // @sym: Main.logged
        }
    }

    static void drain(Sink sink, List<String> records) {
        records.forEach(sink::write); // @sym: Main.drain
    }
}
