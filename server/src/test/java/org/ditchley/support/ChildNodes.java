package org.ditchley.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Nodes run in child JVMs on the test classpath, for tests that kill them: started on a given
 * data directory (kept across restarts) and port, logging to {@code <data-dir>/<name>.log}, and
 * stopped when {@link #stopAll()} runs.
 */
public final class ChildNodes {

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Process> children = new ArrayList<>();

    /** Starts {@code main} (a class with the node's {@code main}) on {@code dataDir} and {@code port}. */
    public Process start(String main, Path dataDir, int port, String name, String... arguments) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-Dditchley.test.keep-data-dir=true",
                "-cp", System.getProperty("java.class.path"), main,
                "--server.port=" + port, "--ditchley.db.data-dir=" + dataDir.toAbsolutePath()));
        command.addAll(List.of(arguments));
        File log = dataDir.resolve(name + ".log").toFile();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
        children.add(p);
        return p;
    }

    /** Waits up to two minutes until {@code path} answers 200, failing if the process dies first. */
    public void awaitReady(int port, Process process, String path) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("node process alive").isTrue();
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(port, path)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("node did not become ready");
    }

    public void stopAll() throws InterruptedException {
        for (Process p : children) {
            p.destroy();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    public static URI uri(int port, String path) {
        return URI.create("http://localhost:" + port + path);
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
