package org.ditchley.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A Ditchley node run from its jar in a child process, on a given data directory and port. */
final class NodeProcess implements AutoCloseable {

    private final Process process;
    private final Path dataDir;
    final int port;

    /** The JVM options the README starts a node with. */
    static final String RECOMMENDED_OPTIONS = "-XX:+UseParallelGC";

    private NodeProcess(Process process, Path dataDir, int port) {
        this.process = process;
        this.dataDir = dataDir;
        this.port = port;
    }

    /** Starts the node and returns once its readiness probe answers 200, with the time that took. */
    static Started start(Path jar, Path dataDir, int port, String... arguments) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        long t0 = System.nanoTime();
        List<String> command = new java.util.ArrayList<>(List.of(java));
        // the node runs as the README starts it unless told otherwise (e.g. -XX:+UseG1GC, to compare)
        String options = System.getProperty("ditchley.bench.node-jvm-options", RECOMMENDED_OPTIONS).strip();
        if (!options.isEmpty()) {
            command.addAll(List.of(options.split("\\s+")));
        }
        command.addAll(List.of("-jar", jar.toString(), "--server.port=" + port, "--ditchley.db.data-dir=" + dataDir.toAbsolutePath()));
        command.addAll(List.of(arguments));
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(dataDir.getParent().resolve("node-" + port + ".log").toFile())
                .start();
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health/readiness")).build();
        long deadline = t0 + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("node exited with " + p.exitValue());
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return new Started(new NodeProcess(p, dataDir, port), Duration.ofNanos(System.nanoTime() - t0));
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(25);
        }
        p.destroyForcibly();
        throw new IllegalStateException("node not ready within 3 minutes");
    }

    record Started(NodeProcess node, Duration readyAfter) {
    }

    /**
     * CPU time used so far by the node's JVM, and by its embedded PostgreSQL: the server started
     * on the node's data directory (it runs detached from the JVM) and its live processes.
     */
    record Cpu(Duration node, Duration database) {

        Cpu minus(Cpu before) {
            return new Cpu(node.minus(before.node), database.minus(before.database));
        }
    }

    Cpu cpu() {
        String postgresData = dataDir.toAbsolutePath().resolve("postgres").toString();
        Duration database = ProcessHandle.allProcesses()
                .filter(h -> h.info().commandLine().map(c -> c.contains("-D " + postgresData)).orElse(false))
                .flatMap(h -> java.util.stream.Stream.concat(java.util.stream.Stream.of(h), h.descendants()))
                .map(h -> h.info().totalCpuDuration().orElse(Duration.ZERO)).reduce(Duration.ZERO, Duration::plus);
        return new Cpu(process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO), database);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
