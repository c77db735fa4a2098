package org.ditchley.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ledger throughput through the server's own paths: registrations over the API (each appends one
 * entry in its transaction) with concurrent clients, the delay until a signed checkpoint covers
 * the last of them, and inclusion proofs served per second; the health probe's request rate in
 * the same run is the baseline.
 */
final class LedgerBench {

    static final int CLIENTS = 4;
    static final int PROOF_CLIENTS = 16;
    static final int REGISTRATIONS = 4_000;
    static final Duration PROOF_WINDOW = Duration.ofSeconds(10);
    static final Duration APPEND_WINDOW = Duration.ofSeconds(20);

    private final Path jar;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    LedgerBench(Path jar) {
        this.jar = jar;
    }

    void run() throws Exception {
        inProcess();
        Path dataDir = Files.createTempDirectory("ditchley-ledger-bench-").resolve("data");
        int port = NodeProcess.freePort();
        try (NodeProcess node = NodeProcess.start(jar, dataDir, port).node()) {
            String token = setUp(port, dataDir);
            double health = rate(port, CLIENTS, Duration.ofSeconds(5), i -> "/actuator/health");
            System.out.printf(Locale.ROOT, "baseline: GET /actuator/health %,.0f requests/s with %d clients%n", health, CLIENTS);

            Thread.sleep(1_500);
            long before = checkpointSize(port);
            AtomicInteger next = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            long t0 = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                done.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < REGISTRATIONS; i = next.getAndIncrement()) {
                        post(port, token, "/api/v1/models", "{\"name\":\"Ledger bench " + i + "\",\"organisationId\":\"" + devOrg + "\"}");
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            pool.shutdown();
            long acknowledged = System.nanoTime();
            long target = before + REGISTRATIONS;
            while (checkpointSize(port) < target) {
                Thread.sleep(10);
            }
            System.out.printf(Locale.ROOT, "registrations appended to the ledger: %,d in %.1f s = %,.0f entries/s (%.2f × health rate)%n",
                    REGISTRATIONS, seconds, REGISTRATIONS / seconds, REGISTRATIONS / seconds / health);
            System.out.printf(Locale.ROOT, "checkpoint covering the last one: %d ms after it was acknowledged%n",
                    (System.nanoTime() - acknowledged) / 1_000_000);
            long published = checkpointSize(port);
            double vkey = rate(port, PROOF_CLIENTS, PROOF_WINDOW, i -> "/ledger/vkey");
            System.out.printf(Locale.ROOT, "baseline: GET /ledger/vkey (a constant text, no database) %,.0f requests/s with %d clients%n",
                    vkey, PROOF_CLIENTS);
            double proofs = rate(port, PROOF_CLIENTS, PROOF_WINDOW,
                    i -> "/ledger/entries/" + ThreadLocalRandom.current().nextLong(published) + "/proof");
            System.out.printf(Locale.ROOT, "inclusion proofs served over HTTP: %,.0f/s with %d clients in a tree of %,d (%.2f × the vkey rate)%n",
                    proofs, PROOF_CLIENTS, published, proofs / vkey);
        }
    }

    /** Runs {@link InProcessLedger} inside the server's jar, on a fresh data directory. */
    private void inProcess() throws Exception {
        Path dataDir = Files.createTempDirectory("ditchley-ledger-bench-").resolve("data");
        Path self = Path.of(LedgerBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-Dloader.path=" + self, "-Dloader.main=" + InProcessLedger.class.getName(),
                "-cp", jar.toString(), "org.springframework.boot.loader.launch.PropertiesLauncher",
                dataDir.toString(), String.valueOf(APPEND_WINDOW.toSeconds()), String.valueOf(PROOF_WINDOW.toSeconds())))
                .inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("the in-process ledger driver failed with " + p.exitValue());
        }
    }

    private String devOrg;

    private String setUp(int port, Path dataDir) throws Exception {
        String setupToken = Files.readString(dataDir.resolve("setup-token")).strip();
        String token = field(post(port, null, "/api/v1/setup", "{\"token\":\"" + setupToken + "\",\"organisation\":\"Bench\","
                + "\"jurisdiction\":\"GB\",\"name\":\"B\",\"email\":\"b@bench.test\",\"password\":\"a long enough password\"}"), "apiToken");
        devOrg = field(post(port, token, "/api/v1/organisations",
                "{\"name\":\"Bench developer\",\"kind\":\"DEVELOPER\",\"jurisdiction\":\"GB\"}"), "id");
        return token;
    }

    /** Requests per second over {@code window} with {@code clients} concurrent clients. */
    private double rate(int port, int clients, Duration window, java.util.function.IntFunction<String> path) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicInteger count = new AtomicInteger();
        long end = System.nanoTime() + window.toNanos();
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            done.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    int i = count.get();
                    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri(port, path.apply(i))).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException(path.apply(i) + " answered " + r.statusCode());
                    }
                    count.incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        return count.get() / (window.toNanos() / 1e9);
    }

    private long checkpointSize(int port) throws Exception {
        String note = http.send(HttpRequest.newBuilder(uri(port, "/ledger/checkpoint")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return Long.parseLong(note.split("\n")[1]);
    }

    private String post(int port, String token, String path, String body) throws Exception {
        return Http.post(http, port, token, path, "application/json", body);
    }

    private static String field(String json, String name) {
        return Http.field(json, name);
    }

    private static URI uri(int port, String path) {
        return Http.uri(port, path);
    }
}
