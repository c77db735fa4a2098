package org.ditchley.ledger;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import org.ditchley.DitchleyApplication;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A node that, once started, appends to its own ledger as fast as it can and writes each
 * acknowledged index with the filing's id to {@code <data-dir>/acknowledged}, flushed every few
 * milliseconds: a line there is an entry the node acknowledged. For killing in the middle.
 */
public final class AppendingNode {

    /** A filing that says nothing but its own id. */
    public record CrashFiling(UUID id, Instant at) {
    }

    private AppendingNode() {
    }

    public static void main(String[] args) throws Exception {
        ConfigurableApplicationContext node = SpringApplication.run(DitchleyApplication.class, args);
        Path dataDir = Path.of(node.getEnvironment().getProperty("ditchley.db.data-dir"));
        Ledger ledger = node.getBean(Ledger.class);
        BufferedWriter out = Files.newBufferedWriter(dataDir.resolve("acknowledged"), StandardCharsets.UTF_8);
        Thread flusher = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(5);
                    synchronized (out) {
                        out.flush();
                    }
                } catch (Exception e) {
                    return;
                }
            }
        });
        flusher.setDaemon(true);
        flusher.start();
        Semaphore inFlight = new Semaphore(16_384);
        while (true) {
            inFlight.acquireUninterruptibly();
            UUID id = UUID.randomUUID();
            ledger.append(new CrashFiling(id, Instant.now())).whenComplete((index, failure) -> {
                inFlight.release();
                if (failure == null) {
                    synchronized (out) {
                        try {
                            out.write(index + " " + id + "\n");
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                }
            });
        }
    }
}
