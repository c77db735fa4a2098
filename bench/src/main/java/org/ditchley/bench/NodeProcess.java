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
        // node settings to compare (e.g. --ditchley.ledger.linger-ms=100), after the bench's own
        String settings = System.getProperty("ditchley.bench.node-args", "").strip();
        if (!settings.isEmpty()) {
            command.addAll(List.of(settings.split("\\s+")));
        }
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
    record Cpu(Duration node, java.util.Map<String, Duration> threads, Duration database) {

        Cpu minus(Cpu before) {
            java.util.Map<String, Duration> spent = new java.util.TreeMap<>();
            threads.forEach((kind, d) -> spent.put(kind, d.minus(before.threads.getOrDefault(kind, Duration.ZERO))));
            return new Cpu(node.minus(before.node), spent, database.minus(before.database));
        }

        /** The node's thread kinds that spent the most, largest first, as {@code kind seconds}. */
        String busiest(int n) {
            return threads.entrySet().stream().sorted(java.util.Map.Entry.<String, Duration>comparingByValue().reversed()).limit(n)
                    .map(e -> String.format(java.util.Locale.ROOT, "%s %.2f", e.getKey(), e.getValue().toNanos() / 1e9))
                    .collect(java.util.stream.Collectors.joining(", "));
        }
    }

    Cpu cpu() {
        String postgresData = dataDir.toAbsolutePath().resolve("postgres").toString();
        Duration database = ProcessHandle.allProcesses()
                .filter(h -> h.info().commandLine().map(c -> c.contains("-D " + postgresData)).orElse(false))
                .flatMap(h -> java.util.stream.Stream.concat(java.util.stream.Stream.of(h), h.descendants()))
                .map(h -> h.info().totalCpuDuration().orElse(Duration.ZERO)).reduce(Duration.ZERO, Duration::plus);
        return new Cpu(process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO), threadCpu(process.pid()), database);
    }

    /**
     * CPU time of the JVM's threads by kind, from {@code /proc/<pid>/task/<tid>/stat} (utime and
     * stime, in clock ticks of 10 ms): a thread's kind is its name without numbers
     * ({@code qtp…}, {@code halt receipts}, {@code GC Thread#…}), or {@code C1} and {@code C2} for the JIT compilers.
     * Empty where there is no {@code /proc}; threads that ended take their time with them.
     */
    static java.util.Map<String, Duration> threadCpu(long pid) {
        java.util.Map<String, Duration> byKind = new java.util.TreeMap<>();
        try (var tasks = java.nio.file.Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String stat;
                try {
                    stat = java.nio.file.Files.readString(task.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                int open = stat.indexOf('('), close = stat.lastIndexOf(')');
                if (open < 0 || close < open) {
                    continue;
                }
                String name = stat.substring(open + 1, close);
                String kind = name.matches("C[12] .*") ? name.substring(0, 2) : name.replaceAll("[-#]?[0-9]+", "").strip();
                String[] f = stat.substring(close + 2).split(" ");
                byKind.merge(kind.isEmpty() ? "?" : kind, Duration.ofMillis(10 * (Long.parseLong(f[11]) + Long.parseLong(f[12]))), Duration::plus);
            }
        } catch (IOException | RuntimeException e) {
            return java.util.Map.of();
        }
        return byKind;
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
