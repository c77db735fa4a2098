package org.ditchley.agent;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The supervised serving process, in any language: started as a child with the agent's standard
 * streams, stopped with SIGTERM and, if it is still running when the grace period ends, SIGKILL
 * (on POSIX systems, {@link Process#destroy()} and {@link Process#destroyForcibly()}).
 *
 * <p>Safe to use from several threads. Stopping waits for the process outside any lock, so a
 * stop in progress holds up nobody; two stops of one process both wait for it, the shorter grace
 * decides when it is killed, and both report how it ended.
 */
final class Workload {

    private record Run(Process process, AtomicBoolean killed) {
    }

    private final List<String> command;
    private final Consumer<String> log;
    private volatile Run run;

    Workload(List<String> command, Consumer<String> log) {
        this.command = List.copyOf(command);
        this.log = log;
    }

    boolean running() {
        Run r = run;
        return r != null && r.process().isAlive();
    }

    long pid() {
        Run r = run;
        return r != null && r.process().isAlive() ? r.process().pid() : -1;
    }

    /** Starts the workload unless it runs already. */
    synchronized void start() throws IOException {
        Run r = run;
        if (r != null && r.process().isAlive()) {
            return;
        }
        if (r != null) {
            log.accept("workload exited with status " + r.process().exitValue());
        }
        run = new Run(new ProcessBuilder(command).inheritIO().start(), new AtomicBoolean());
    }

    /** Stops the workload if it runs: SIGTERM, then SIGKILL after {@code grace}; says how it stopped. */
    HaltReceipt.How stop(Duration grace) {
        Run r = run;
        if (r == null || !r.process().isAlive()) {
            return HaltReceipt.How.NOT_RUNNING;
        }
        Process p = r.process();
        p.destroy();
        try {
            if (p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                if (r.killed().get()) {
                    return HaltReceipt.How.KILLED;
                }
                log.accept("workload stopped on SIGTERM");
                return HaltReceipt.How.TERMINATED;
            }
            log.accept("workload ignored SIGTERM for " + grace.toSeconds() + " s; killing it");
            r.killed().set(true);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            return HaltReceipt.How.KILLED;
        } catch (InterruptedException e) {
            r.killed().set(true);
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return HaltReceipt.How.KILLED;
        }
    }
}
