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
    /**
     * How long {@link #close()} waits for the postmaster to exit. The library's {@code pg_ctl stop}
     * gives up after 5 s, but with {@code fsync} on the shutdown checkpoint of a busy node can take
     * longer; the node must not exit while its database is still writing.
     */
    private static final Duration STOP_WAIT = Duration.ofSeconds(60);

    private final EmbeddedPostgres postgres;
    private final Optional<ProcessHandle> postmaster;

    private EmbeddedPostgres postgres() {
        return postgres;
    }

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Optional<ProcessHandle> postmaster) {
        this.postgres = postgres;
        this.postmaster = postmaster;
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
            return new EmbeddedPostgresServer(postgres, postmaster(dataDirectory));
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
        Optional<ProcessHandle> process = postmaster(dataDirectory);
        if (process.isEmpty()) {
            return;
        }
        ProcessHandle postmaster = process.get();
        long pid = postmaster.pid();
        log.warn("Stopping orphaned postmaster {} left running on {}", pid, dataDirectory.toAbsolutePath());
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

    /**
     * The live postgres process named by {@code postmaster.pid} in {@code dataDirectory}, if any.
     * A missing, empty or unparsable file, or one naming a dead or non-postgres process, is none.
     */
    static Optional<ProcessHandle> postmaster(Path dataDirectory) throws IOException {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
    }

    /**
     * Stops PostgreSQL (fast shutdown: open sessions are ended, then a checkpoint) and returns once
     * the postmaster has exited, or after {@link #STOP_WAIT} with an error logged.
     */
    @Override
    public void close() throws IOException {
        long started = System.nanoTime();
        postgres().close();
        if (postmaster.isEmpty()) {
            return;
        }
        try {
            postmaster.get().onExit().get(STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
            log.info("Embedded PostgreSQL stopped in {} ms", Duration.ofNanos(System.nanoTime() - started).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.error("Embedded PostgreSQL (postmaster {}) still running {} after it was asked to stop; the next start stops it",
                    postmaster.get().pid(), STOP_WAIT);
        }
    }
}
