package org.ditchley.termination;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Real serving processes for the agent to supervise: shell scripts that log what happens to them. */
final class Workloads {

    private Workloads() {
    }

    /** A workload that writes "started" to {@code log} and, on SIGTERM, "terminated", then exits. */
    static List<String> polite(Path log) {
        return List.of("sh", "-c", "echo started >> '" + log + "'; trap 'echo terminated >> \"" + log + "\"; exit 0' TERM; "
                + "while true; do sleep 0.1; done");
    }

    /** A workload that ignores SIGTERM: only SIGKILL stops it. */
    static List<String> stubborn(Path log) {
        return List.of("sh", "-c", "echo started >> '" + log + "'; trap 'echo ignored >> \"" + log + "\"' TERM; "
                + "while true; do sleep 0.1; done");
    }

    static String log(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting until " + what);
            }
            Thread.sleep(50);
        }
    }

    static boolean alive(long pid) {
        return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
