package org.ditchley.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.ditchley.DitchleyApplication;
import org.ditchley.support.ChildNodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A node asked to stop (SIGTERM) finishes its requests and stops its parts while its embedded
 * PostgreSQL still runs, and stops that last: nothing in flight loses its database mid-way.
 */
class GracefulStopTests {

    final ChildNodes nodes = new ChildNodes();

    @AfterEach
    void stopChildren() throws InterruptedException {
        nodes.stopAll();
    }

    @Test
    @Timeout(180)
    void theEmbeddedDatabaseStopsAfterTheNodeHasStoppedServing() throws Exception {
        Path dataDir = dataDir("stop-");
        Process node = startReady(dataDir);
        long postmaster = postmasterPid(dataDir);

        node.destroy();
        assertThat(node.waitFor(120, TimeUnit.SECONDS)).as("the node stops").isTrue();

        // the node stops its database itself, and waits for it, before its JVM exits
        Optional<ProcessHandle> left = ProcessHandle.of(postmaster);
        if (left.isPresent()) {
            left.get().onExit().get(2, TimeUnit.SECONDS);
        }
        String log = Files.readString(dataDir.resolve("node.log"));
        int serving = log.indexOf("Commencing graceful shutdown");
        int pool = log.indexOf("HikariDataSource       : ditchley - Shutdown completed");
        assertThat(serving).as("the web server's graceful shutdown is logged").isNotNegative();
        assertThat(pool).as("the connection pool closes after the web server has stopped serving").isGreaterThan(serving);
        assertThat(log).doesNotContain("An I/O error occurred while sending to the backend");
    }

    /**
     * A shutdown checkpoint slower than {@code pg_ctl stop}'s own 5 s wait (a busy disk with fsync
     * on) holds the node's exit until PostgreSQL is done. The checkpointer is paused with SIGSTOP to
     * make the checkpoint slow.
     */
    @Test
    @Timeout(180)
    void aSlowDatabaseStopHoldsTheNodesExitUntilTheDatabaseHasStopped() throws Exception {
        Path dataDir = dataDir("slow-stop-");
        Process node = startReady(dataDir);
        ProcessHandle postmaster = ProcessHandle.of(postmasterPid(dataDir)).orElseThrow();
        ProcessHandle checkpointer = postmaster.children()
                .filter(p -> processTitle(p).contains("checkpointer"))
                .findFirst().orElseThrow(() -> new AssertionError("no checkpointer under postmaster " + postmaster.pid()));

        signal("STOP", checkpointer);
        try {
            node.destroy();
            assertThat(node.waitFor(8, TimeUnit.SECONDS))
                    .as("the node is still waiting for its database 8 s after SIGTERM; its log:%n%s", log(dataDir))
                    .isFalse();
            assertThat(postmaster.isAlive()).isTrue();
        } finally {
            signal("CONT", checkpointer);
        }
        assertThat(node.waitFor(120, TimeUnit.SECONDS)).as("the node stops").isTrue();
        assertThat(postmaster.isAlive()).as("the postmaster had exited when the node's JVM did").isFalse();
        assertThat(log(dataDir)).contains("Embedded PostgreSQL stopped in");
    }

    private static Path dataDir(String prefix) throws IOException {
        return Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")), prefix);
    }

    /** A node in a child JVM on {@code dataDir}, once it is ready. */
    private Process startReady(Path dataDir) throws Exception {
        int port = ChildNodes.freePort();
        Process node = nodes.start(DitchleyApplication.class.getName(), dataDir, port, "node");
        nodes.awaitReady(port, node, "/actuator/health/readiness");
        return node;
    }

    private static long postmasterPid(Path dataDir) throws IOException {
        return Long.parseLong(Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid")).get(0).strip());
    }

    /** The title a PostgreSQL process gives itself in its command line, e.g. "postgres: checkpointer". */
    private static String processTitle(ProcessHandle process) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline"), StandardCharsets.ISO_8859_1);
        } catch (IOException gone) {
            return "";
        }
    }

    private static void signal(String signal, ProcessHandle process) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -%s %d", signal, process.pid()).isZero();
    }

    private static String log(Path dataDir) throws IOException {
        return Files.readString(dataDir.resolve("node.log"));
    }
}
