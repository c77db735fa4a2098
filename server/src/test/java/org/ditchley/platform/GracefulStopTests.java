package org.ditchley.platform;

import static org.assertj.core.api.Assertions.assertThat;

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
        Path dataDir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")), "stop-");
        int port = ChildNodes.freePort();
        Process node = nodes.start(DitchleyApplication.class.getName(), dataDir, port, "node");
        nodes.awaitReady(port, node, "/actuator/health/readiness");
        long postmaster = Long.parseLong(Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid")).get(0).strip());

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
}
