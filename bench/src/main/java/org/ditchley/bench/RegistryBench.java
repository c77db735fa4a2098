package org.ditchley.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Start-to-ready time of a node (cold: empty data directory, including initdb; warm: restart on
 * it), then the latency of the registry API and page with 10,000 registered models, each beside
 * the latency of the trivial health probe measured in the same run. Targets: ready ≤ 15 s cold;
 * registry p99 ≤ 50 ms.
 */
final class RegistryBench {

    static final int MODELS = 10_000;

    private final Path jar;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    RegistryBench(Path jar) {
        this.jar = jar;
    }

    void run() throws Exception {
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " not found: build it with ./mvnw -q -DskipTests package");
        }
        Path work = Files.createTempDirectory("ditchley-bench-");
        Path dataDir = work.resolve("data");
        int port = NodeProcess.freePort();
        System.out.println("node: " + jar + ", data: " + dataDir + ", cores: " + Runtime.getRuntime().availableProcessors());

        NodeProcess.Started cold = NodeProcess.start(jar, dataDir, port);
        System.out.printf(Locale.ROOT, "start-to-ready, cold: %.2f s (target ≤ 15 s)%n", cold.readyAfter().toMillis() / 1000.0);
        List<Latency> results = new ArrayList<>();
        Latency health;
        try (NodeProcess node = cold.node()) {
            String token = setUp(port, dataDir);
            long t0 = System.nanoTime();
            String report = post(port, token, "/api/v1/imports/epoch", "text/csv", csv(MODELS));
            System.out.printf(Locale.ROOT, "import of %,d models: %.1f s (%s)%n", MODELS,
                    (System.nanoTime() - t0) / 1e9, field(report, "created") + " created");
            String page = get(port, "/api/v1/models?size=1");
            String anId = field(page, "id");

            health = Latency.measure(http, "GET /actuator/health (baseline)", uri(port, "/actuator/health"), 300, 2000);
            results.add(Latency.measure(http, "GET /api/v1/models", uri(port, "/api/v1/models"), 300, 2000));
            results.add(Latency.measure(http, "GET /api/v1/models?threshold=EU_AI_ACT_SYSTEMIC",
                    uri(port, "/api/v1/models?threshold=EU_AI_ACT_SYSTEMIC"), 100, 1000));
            results.add(Latency.measure(http, "GET /api/v1/models?q=model%20777&page=0",
                    uri(port, "/api/v1/models?q=model%20777"), 100, 1000));
            results.add(Latency.measure(http, "GET /api/v1/models?page=150", uri(port, "/api/v1/models?page=150"), 100, 1000));
            results.add(Latency.measure(http, "GET /api/v1/models/{id}", uri(port, "/api/v1/models/" + anId), 100, 1000));
            if (status(port, "/models") == 200) {
                results.add(Latency.measure(http, "GET /models (registry page)", uri(port, "/models"), 100, 1000));
                results.add(Latency.measure(http, "GET /models/{id} (model page)", uri(port, "/models/" + anId), 100, 1000));
            }
        }
        NodeProcess.Started warm = NodeProcess.start(jar, dataDir, port);
        warm.node().close();
        System.out.printf(Locale.ROOT, "start-to-ready, warm: %.2f s%n", warm.readyAfter().toMillis() / 1000.0);
        System.out.println(health.row(health));
        results.forEach(r -> System.out.println(r.row(health)));
    }

    private String setUp(int port, Path dataDir) throws Exception {
        String setupToken = Files.readString(dataDir.resolve("setup-token")).strip();
        String opened = post(port, null, "/api/v1/setup", "application/json", "{\"token\":\"" + setupToken
                + "\",\"organisation\":\"Bench Regulator\",\"jurisdiction\":\"GB\",\"name\":\"Bench\","
                + "\"email\":\"bench@regulator.test\",\"password\":\"a long enough password\"}");
        return field(opened, "apiToken");
    }

    /** A notable-models CSV of {@code n} synthetic models from 100 developers, a tenth of them fine-tunes. */
    static String csv(int n) {
        StringBuilder b = new StringBuilder("Model,Organization,Domain,Parameters,Training compute (FLOP),"
                + "Training dataset size (total),Base model,Publication date\n");
        for (int i = 0; i < n; i++) {
            b.append("Bench model ").append(i).append(",Bench lab ").append(i % 100).append(",Language,")
                    .append(1e9 * (1 + i % 500)).append(',').append(i % 3 == 0 ? "" : String.valueOf(1e21 * (1 + i % 20000)))
                    .append(',').append(1e12 * (1 + i % 30)).append(',')
                    .append(i % 10 == 9 ? "Bench model " + (i - 9) : "").append(",2025-01-01\n");
        }
        return b.toString();
    }

    private String get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(port, path)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private int status(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(port, path)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private String post(int port, String token, String path, String type, String body) throws Exception {
        return Http.post(http, port, token, path, type, body);
    }

    private static String field(String json, String name) {
        return Http.field(json, name);
    }

    private static URI uri(int port, String path) {
        return Http.uri(port, path);
    }
}
