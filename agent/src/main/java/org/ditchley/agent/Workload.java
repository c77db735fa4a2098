package org.ditchley.agent;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The supervised serving process, in any language: started as a child with the agent's standard
 * streams, stopped with SIGTERM and, if it is still running when the grace period ends, SIGKILL
 * (on POSIX systems, {@link Process#destroy()} and {@link Process#destroyForcibly()}).
 * Callers synchronise.
 */
final class Workload {

    private final List<String> command;
    private final Consumer<String> log;
    private Process process;

    Workload(List<String> command, Consumer<String> log) {
        this.command = List.copyOf(command);
        this.log = log;
    }

    boolean running() {
        return process != null && process.isAlive();
    }

    long pid() {
        Process p = process;
        return p != null && p.isAlive() ? p.pid() : -1;
    }

    void start() throws IOException {
        if (process != null && !process.isAlive()) {
            log.accept("workload exited with status " + process.exitValue());
        }
        process = new ProcessBuilder(command).inheritIO().start();
    }

    /** Stops the workload if it runs: SIGTERM, then SIGKILL after {@code grace}; says how it stopped. */
    HaltReceipt.How stop(Duration grace) {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return HaltReceipt.How.NOT_RUNNING;
        }
        p.destroy();
        try {
            if (p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                log.accept("workload stopped on SIGTERM");
                return HaltReceipt.How.TERMINATED;
            }
            log.accept("workload ignored SIGTERM for " + grace.toSeconds() + " s; killing it");
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            return HaltReceipt.How.KILLED;
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return HaltReceipt.How.KILLED;
        }
    }
}
