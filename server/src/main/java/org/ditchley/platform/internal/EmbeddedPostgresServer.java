package org.ditchley.platform.internal;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server run by this node from the official binaries, on a data directory that
 * outlives the process.
 *
 * <p>Durability is switched back on: the library starts PostgreSQL with {@code fsync} and
 * {@code synchronous_commit} off, which loses acknowledged transactions on a crash. A postmaster
 * orphaned by a JVM that was killed (SIGKILL leaves it running and holding the data directory) is
 * shut down before the new one starts, so a restart needs no manual clean-up. On a normal stop
 * the server is stopped by {@link #close()} when the node's data source closes, once everything
 * that uses the database has stopped.
 */
final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final Duration ORPHAN_STOP_WAIT = Duration.ofSeconds(60);

    private final EmbeddedPostgres postgres;

    private EmbeddedPostgres postgres() {
        return postgres;
    }

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    static EmbeddedPostgresServer start(Path dataDirectory) {
        try {
            Files.createDirectories(dataDirectory);
            stopOrphanedPostmaster(dataDirectory);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("listen_addresses", "localhost")
                    .setServerConfig("max_connections", "100")
                    .setPGStartupWait(Duration.ofSeconds(60))
                    // stopped by close(), after the pool, not by the library's own JVM shutdown hook,
                    // which would run beside the node's and pull the database from under it
                    .setRegisterShutdownHook(false)
                    .start();
            log.info("Embedded PostgreSQL on port {} with data in {}", postgres.getPort(), dataDirectory.toAbsolutePath());
            return new EmbeddedPostgresServer(postgres);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded PostgreSQL in " + dataDirectory.toAbsolutePath(), e);
        }
    }

    String jdbcUrl() {
        return postgres().getJdbcUrl("postgres", "postgres");
    }

    /**
     * Stops a postmaster still serving {@code dataDirectory} after the JVM that started it died.
     * PostgreSQL removes {@code postmaster.pid} on clean shutdown, so a file naming a live
     * postgres process means an orphan; a file naming a dead process is stale and PostgreSQL
     * itself ignores it.
     */
    static void stopOrphanedPostmaster(Path dataDirectory) throws IOException {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
        if (process.isEmpty()) {
            return;
        }
        log.warn("Stopping orphaned postmaster {} left running on {}", pid, dataDirectory.toAbsolutePath());
        ProcessHandle postmaster = process.get();
        // SIGTERM is PostgreSQL's smart shutdown: the orphan's clients died with their JVM, so it
        // checkpoints and exits at once.
        postmaster.destroy();
        try {
            postmaster.onExit().get(ORPHAN_STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("Orphaned postmaster {} did not stop within {}; killing it", pid, ORPHAN_STOP_WAIT);
            postmaster.destroyForcibly();
            postmaster.onExit().join();
        }
    }

    @Override
    public void close() throws IOException {
        postgres().close();
    }
}
