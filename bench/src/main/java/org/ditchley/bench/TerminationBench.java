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
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.ditchley.fingerprint.ModelHasher;
import org.ditchley.tlog.NoteSigner;
import org.ditchley.tlog.NoteVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The termination load driver. Starts a node from its jar with short licenses, registers one
 * model with an artifact and {@code agents} deployments of it with enrolled agent keys, and runs
 * an {@link AgentFleet} of that many agents in this process on loopback:
 *
 * <ol>
 *   <li>license renewals per second for 20 s, against the same run's rate of a constant endpoint
 *       ({@code /api/v1/termination/vkey}) with the same concurrency; then for 10 s with each renewal
 *       on a new connection, as agents in service send them (every half lifetime, minutes apart,
 *       when the node has long closed their idle connections);</li>
 *   <li>every agent licensed, with its order stream open; one order covering all of them takes
 *       effect; the time from effect to each signed halt receipt, from the node's coverage board.
 *       This first order meets code the node has not yet run (and compiled), so it is reported,
 *       lifted, and followed by {@link #ORDERS} more such orders: the measure of a node that has
 *       seen one, as its compiled code settles;</li>
 *   <li>the order lifted and the agents licensed again; 20% of the streams cut; a third order:
 *       the connected agents send receipts, and the board shows the cut-off ones halted by expiry
 *       within lifetime + grace.</li>
 * </ol>
 * Runs inside the server's jar (for the agent and fingerprint libraries), launched by {@link Bench#termination}.
 */
final class TerminationBench {

    static final Duration LIFETIME = Duration.ofSeconds(30);
    static final long GRACE_SECONDS = 5;
    static final int CLIENTS = 128;
    /** Orders covering every agent measured after the first: the JIT compiler is still at work during the second. */
    static final int ORDERS = Integer.getInteger("ditchley.bench.orders", 3);
    /** How many times the driver runs its own side of an order on made-up bytes before the first ({@link AgentFleet#rehearse}). */
    static final int REHEARSALS = Integer.getInteger("ditchley.bench.rehearsals", 30_000);
    static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path jar;
    private final int agents;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    private int port;

    TerminationBench(Path jar, int agents) {
        this.jar = jar;
        this.agents = agents;
    }

    public static void main(String[] args) throws Exception {
        new TerminationBench(Path.of(args[0]), Integer.parseInt(args[1])).run();
        System.exit(0);
    }

    void run() throws Exception {
        Path dataDir = Files.createTempDirectory("ditchley-termination-bench-").resolve("data");
        port = NodeProcess.freePort();
        System.out.printf(Locale.ROOT, "termination bench: %,d agents, licenses of %d s, grace %d s%n", agents, LIFETIME.toSeconds(), GRACE_SECONDS);
        try (NodeProcess node = NodeProcess.start(jar, dataDir, port, "--ditchley.termination.lifetime=" + LIFETIME,
                "--ditchley.termination.frontier-lifetime=" + LIFETIME, "--server.jetty.max-connections=30000").node()) {
            long t0 = System.nanoTime();
            String regulator = field(post(null, "/api/v1/setup", Map.of("token", Files.readString(dataDir.resolve("setup-token")).strip(),
                    "organisation", "Bench regulator", "jurisdiction", "GB", "name", "Officer one", "email", "one@bench.test",
                    "password", "a long enough password")), "apiToken");
            String regulatorOrg = field(get(regulator, "/api/v1/me"), "organisationId");
            List<String> officers = new ArrayList<>(List.of(regulator));
            for (int i = 0; i < 2; i++) {
                officers.add(account(regulator, regulatorOrg, List.of("REGULATOR", "OFFICER")));
            }
            String developer = account(regulator, org(regulator, "DEVELOPER"), List.of("DEVELOPER"));
            String model = field(post(developer, "/api/v1/models", Map.of("name", "Bench model", "modality", "language")), "id");
            Path weights = Files.writeString(dataDir.getParent().resolve("weights.bin"), "bench weights");
            JsonNode artifact = JSON.readTree(post(developer, "/api/v1/models/" + model + "/artifacts", Map.of("name", "release",
                    "statement", ModelHasher.hash(weights, ModelHasher.Options.files(), n -> { }).statement()))).get("artifact");
            String deployer = account(regulator, org(regulator, "DEPLOYER"), List.of("DEPLOYER"));

            List<AgentFleet.Member> members = register(deployer, model, artifact.get("id").asString());
            System.out.printf(Locale.ROOT, "set-up: %,d deployments registered and enrolled in %.1f s%n", agents, (System.nanoTime() - t0) / 1e9);

            NoteVerifier vkey = NoteVerifier.parse(get(null, "/api/v1/termination/vkey").strip());
            AgentFleet fleet = new AgentFleet(URI.create("http://localhost:" + port), vkey, artifact.get("manifestDigest").asString(), members);

            fleet.licenseAll();
            long streams0 = System.nanoTime();
            fleet.openStreams(Duration.ofMinutes(3));
            System.out.printf(Locale.ROOT, "%,d order streams open in %.1f s%n", agents, (System.nanoTime() - streams0) / 1e9);

            // renewals are measured with every agent's stream held open, as on a node in service, and
            // the first order then finds the node as it would be between orders
            fleet.renewFor(Duration.ofSeconds(5), CLIENTS);
            double constant = constantRate(Duration.ofSeconds(15));
            double renewals = fleet.renewFor(Duration.ofSeconds(20), CLIENTS);
            System.out.printf(Locale.ROOT, "license renewals with %,d streams open: %,.0f/s (target >= 2,000), %.2f x the same run's vkey rate (%,.0f/s)%n",
                    agents, renewals, renewals / constant, constant);
            // an agent in service renews every half lifetime, long after the node has closed its idle connection
            double fresh = fleet.renewOnNewConnectionsFor(Duration.ofSeconds(10), CLIENTS);
            System.out.printf(Locale.ROOT, "  each on a new connection, as agents in service renew: %,.0f/s (target >= 2,000), %.2f x the vkey rate%n",
                    fresh, fresh / constant);

            long rehearsal = System.nanoTime();
            fleet.rehearse(REHEARSALS);
            System.out.printf(Locale.ROOT, "driver rehearsed its side of an order %,d times, sending nothing, in %.1f s%n", REHEARSALS,
                    (System.nanoTime() - rehearsal) / 1e9);
            lift(officers, orderEveryAgent("first order on this node (its receipt and push paths not yet compiled)", node, officers,
                    model, regulator, fleet), fleet);
            for (int i = 1; i <= ORDERS; i++) {
                lift(officers, orderEveryAgent(String.format(Locale.ROOT, "order covering every agent (%d of %d on a node that has run one)", i, ORDERS),
                        node, officers, model, regulator, fleet), fleet);
            }

            int cut = agents / 5;
            fleet.cut(cut);
            Thread.sleep(1_000);
            String second = order(officers, model);
            long effective = System.nanoTime();
            awaitReceipts(fleet, agents - cut, Duration.ofSeconds(120));
            Duration budget = LIFETIME.plusSeconds(GRACE_SECONDS).plusSeconds(15);
            JsonNode b = board(regulator, second);
            while (b.get("counts").get("HALTED").asInt() + b.get("counts").get("EXPIRED").asInt() < agents
                    && System.nanoTime() - effective < budget.toNanos()) {
                Thread.sleep(1_000);
                b = board(regulator, second);
            }
            report("order with 20% of the agents cut off", b);
            System.out.println("  driver: " + fleet.receiptTimings());
            long expiredLate = 0;
            for (JsonNode c : b.get("copies")) {
                if (c.get("state").asString().equals("EXPIRED")
                        && c.get("millisToHalt").asLong() > LIFETIME.plusSeconds(GRACE_SECONDS).toMillis()) {
                    expiredLate++;
                }
            }
            System.out.printf(Locale.ROOT, "  cut-off agents halted by expiry later than lifetime + grace (%d s): %d%n",
                    LIFETIME.toSeconds() + GRACE_SECONDS, expiredLate);
            System.out.printf(Locale.ROOT, "  messages refused by the agents: %d%n", fleet.refused.get());
        }
    }

    private List<AgentFleet.Member> register(String deployer, String model, String artifact) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(32);
        AtomicInteger n = new AtomicInteger();
        List<Future<AgentFleet.Member>> futures = new ArrayList<>();
        for (int i = 0; i < agents; i++) {
            int at = i;
            futures.add(pool.submit(() -> {
                String id = field(post(deployer, "/api/v1/deployments", Map.of("modelId", model, "locationKind", "CLOUD_REGION",
                        "location", "region-" + (at % 20), "endpoint", "https://serve.example/" + at, "status", "ACTIVE")), "id");
                NoteSigner key = NoteSigner.generate("agent.bench/" + at);
                send(deployer, "PUT", "/api/v1/deployments/" + id + "/agent", Map.of("agentKey", key.verifier().toString(), "artifactId", artifact), 200);
                if (n.incrementAndGet() % 2_000 == 0) {
                    System.out.printf(Locale.ROOT, "  %,d deployments%n", n.get());
                }
                return new AgentFleet.Member(UUID.fromString(id), key);
            }));
        }
        List<AgentFleet.Member> members = new ArrayList<>();
        for (Future<AgentFleet.Member> f : futures) {
            members.add(f.get());
        }
        pool.shutdown();
        return members;
    }

    /**
     * An order covering every agent, reported once every receipt has arrived: the board, where the
     * driver's time went, and the CPU spent meanwhile. Returns the order's id.
     */
    private String orderEveryAgent(String label, NodeProcess node, List<String> officers, String model, String regulator,
                                   AgentFleet fleet) throws Exception {
        Usage usage = new Usage(node);
        String order = order(officers, model);
        awaitReceipts(fleet, agents, Duration.ofSeconds(120));
        String cpu = usage.since(agents);
        long read = System.nanoTime();
        JsonNode board = board(regulator, order);
        report(label, board);
        System.out.printf(Locale.ROOT, "  the board (every copy) read in %.0f ms%n", (System.nanoTime() - read) / 1e6);
        System.out.println("  driver: " + fleet.receiptTimings());
        System.out.println("  " + cpu);
        return order;
    }

    /** CPU time spent from its creation, by the node, its PostgreSQL and this driver, and wall time. */
    private static final class Usage {
        private final NodeProcess node;
        private final NodeProcess.Cpu before;
        private final Duration driverBefore;
        private final long wall = System.nanoTime();

        Usage(NodeProcess node) {
            this.node = node;
            this.before = node.cpu();
            this.driverBefore = driverCpu();
        }

        private static Duration driverCpu() {
            return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
        }

        /** The CPU spent since, in all and per each of {@code receipts} receipts. */
        String since(int receipts) {
            NodeProcess.Cpu used = node.cpu().minus(before);
            double driver = driverCpu().minus(driverBefore).toNanos() / 1e9;
            double seconds = (System.nanoTime() - wall) / 1e9;
            double nodeSeconds = used.node().toNanos() / 1e9;
            double database = used.database().toNanos() / 1e9;
            return String.format(Locale.ROOT, "CPU from effect to the last receipt (%.1f s, 2 cores = %.1f core-s): node %.2f s (%.0f us a receipt; "
                    + "by thread: %s), its PostgreSQL %.2f s, this driver %.2f s", seconds, 2 * seconds, nodeSeconds,
                    nodeSeconds * 1e6 / receipts, used.busiest(8), database, driver);
        }
    }

    /** Lifts {@code order}, licenses every agent again and forgets their receipts: ready for the next order. */
    private void lift(List<String> officers, String order, AgentFleet fleet) throws Exception {
        for (String officer : officers) {
            post(officer, "/api/v1/stop-orders/" + order + "/lift", Map.of("reason", "bench: lifted"));
        }
        fleet.licenseAll();
        fleet.resetReceipts();
        System.out.println("  lifted; every agent licensed again");
        Thread.sleep(1_000);
    }

    private String order(List<String> officers, String model) throws Exception {
        String id = field(post(officers.get(0), "/api/v1/stop-orders", Map.of("scope", "MODEL", "modelId", model, "reasonKind", "RED_LINE",
                "reason", "bench", "graceSeconds", GRACE_SECONDS)), "id");
        send(officers.get(1), "POST", "/api/v1/stop-orders/" + id + "/approvals", Map.of(), 200);
        return id;
    }

    private static void awaitReceipts(AgentFleet fleet, int expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (fleet.receipts() < expected && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    private JsonNode board(String token, String order) throws Exception {
        return JSON.readTree(get(token, "/api/v1/stop-orders/" + order + "/coverage"));
    }

    private static void report(String what, JsonNode board) {
        JsonNode c = board.get("counts");
        System.out.printf(Locale.ROOT, "%s: HALTED %,d, EXPIRED %,d, PENDING %,d, UNREACHABLE %,d%n", what, c.get("HALTED").asInt(),
                c.get("EXPIRED").asInt(), c.get("PENDING").asInt(), c.get("UNREACHABLE").asInt());
        for (String measure : new String[] {"millisToHalt", "millisToReceipt"}) {
            JsonNode d = board.get(measure);
            System.out.printf(Locale.ROOT, "  %s (n=%s): p50 %s ms, p90 %s ms, p99 %s ms (target <= 2,000), max %s ms%n", measure,
                    d.path("count").asString("0"), d.path("p50").asString("-"), d.path("p90").asString("-"), d.path("p99").asString("-"),
                    d.path("max").asString("-"));
        }
    }

    private double constantRate(Duration window) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        AtomicInteger count = new AtomicInteger();
        long end = System.nanoTime() + window.toNanos();
        long start = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            done.add(pool.submit(() -> {
                try (PlainHttp plain = new PlainHttp("localhost", port)) {
                    while (System.nanoTime() < end) {
                        if (plain.get("/api/v1/termination/vkey").status() != 200) {
                            throw new IllegalStateException("vkey refused");
                        }
                        count.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        return count.get() / ((System.nanoTime() - start) / 1e9);
    }

    private String account(String regulator, String organisation, List<String> roles) throws Exception {
        String token = field(post(regulator, "/api/v1/organisations/" + organisation + "/invitations",
                Map.of("email", UUID.randomUUID() + "@bench.test", "roles", roles)), "token");
        return field(post(null, "/api/v1/invitations/accept", Map.of("token", token, "name", "Bench", "password", "another long password")),
                "apiToken");
    }

    private String org(String regulator, String kind) throws Exception {
        return field(post(regulator, "/api/v1/organisations", Map.of("name", "Bench " + kind + " " + UUID.randomUUID(), "kind", kind,
                "jurisdiction", "GB")), "id");
    }

    private String get(String token, String path) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofMinutes(2));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    private String post(String token, String path, Object body) throws Exception {
        return send(token, "POST", path, body, 201);
    }

    private String send(String token, String method, String path, Object body, int expected) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofMinutes(2))
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected && !(expected == 201 && r.statusCode() == 200)) {
            throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    private static String field(String json, String name) {
        JsonNode v = JSON.readTree(json).get(name);
        if (v == null) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return v.asString();
    }
}
