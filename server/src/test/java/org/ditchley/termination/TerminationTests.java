package org.ditchley.termination;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.ditchley.agent.License;
import org.ditchley.agent.Signed;
import org.ditchley.support.Node;
import org.ditchley.support.NodeTest;
import org.ditchley.tlog.NoteSigner;
import org.ditchley.tlog.NoteVerifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Operating licenses and stop orders over real HTTP: a license only for an enrolled, active,
 * unstopped deployment and a fresh signed request; an order that takes effect on the quorum of
 * distinct officers, covers the model's derivatives, stops licensing and goes on the ledger, and
 * is lifted only by the larger quorum with reasons.
 */
@NodeTest
class TerminationTests {

    @Autowired
    Node node;

    @TempDir
    Path dir;

    Node.Caller officer() {
        return node.account(node.regulator().organisationId, "REGULATOR", "OFFICER");
    }

    @Test
    void aLicenseGoesOnlyToAnEnrolledActiveDeploymentForAFreshSignedRequest() throws Exception {
        Deployed d = Deployed.create(node, dir, "Licensed model", null);
        NoteVerifier vkey = Deployed.vkey(node);

        String nonce = Deployed.nonce();
        byte[] request = d.request(nonce, Instant.now());
        Node.Response first = d.license(request);
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        License license = License.parse(Signed.open(Deployed.bytes(first.body()), vkey));
        assertThat(license.deployment()).isEqualTo(d.id());
        assertThat(license.artifact()).isEqualTo(d.digest());
        assertThat(license.nonce()).isEqualTo(nonce);
        assertThat(license.sequence()).isEqualTo(1);
        assertThat(java.time.Duration.between(license.issued(), license.notAfter())).as("not a frontier model: an hour").hasHours(1);

        Node.Response second = d.license(d.request(Deployed.nonce(), Instant.now()));
        assertThat(License.parse(Signed.open(Deployed.bytes(second.body()), vkey)).sequence()).isEqualTo(2);

        Node.Response replayed = d.license(request);
        assertThat(replayed.status()).isEqualTo(409);
        assertThat(replayed.json().get("detail").asString()).contains("already used");

        NoteSigner other = NoteSigner.generate("agent.example/impostor");
        byte[] forged = Signed.sign(new org.ditchley.agent.LicenseRequest(d.id(), Deployed.nonce(), Instant.now()).text(), other);
        Node.Response refused = d.license(forged);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().get("detail").asString()).contains("verifies the message's signature");

        Node.Response stale = d.license(d.request(Deployed.nonce(), Instant.now().minusSeconds(600)));
        assertThat(stale.status()).isEqualTo(401);
        assertThat(stale.json().get("detail").asString()).contains("minutes from the node's");

        // a suspended deployment gets no license
        assertThat(d.deployer().post("/api/v1/deployments/" + d.deployment() + "/status", Map.of("status", "SUSPENDED")).status()).isEqualTo(200);
        Node.Response suspended = d.license(d.request(Deployed.nonce(), Instant.now()));
        assertThat(suspended.status()).isEqualTo(403);
        assertThat(suspended.json().get("detail").asString()).contains("is SUSPENDED, not ACTIVE");
    }

    @Test
    void badAgentRequestsAreRefusedWithAProblemDetail() throws Exception {
        Deployed d = Deployed.create(node, dir, "Bad input model", null);
        Map<String, byte[]> bodies = new java.util.LinkedHashMap<>();
        bodies.put("empty", new byte[0]);
        bodies.put("not a note", Deployed.bytes("hello"));
        bodies.put("a note of another kind", Signed.sign("ditchley halt receipt v1\n", d.key()));
        bodies.put("an unknown deployment", Signed.sign(new org.ditchley.agent.LicenseRequest(UUID.randomUUID(), Deployed.nonce(),
                Instant.now()).text(), d.key()));
        bodies.put("a short nonce", Deployed.bytes("ditchley license request v1\ndeployment " + d.deployment() + "\nnonce ab\ntime 2026-01-01T00:00:00Z\n\n— x y\n"));
        bodies.put("binary", new byte[] {0, 1, 2, (byte) 0xff, '\n', '\n'});
        bodies.put("oversized", new byte[70_000]);
        for (var e : bodies.entrySet()) {
            for (String path : List.of("/api/v1/agent/license", "/api/v1/agent/halt")) {
                Node.Response r = d.post(path, e.getValue());
                assertThat(r.status()).as("%s to %s: %s", e.getKey(), path, r).isBetween(400, 499);
                assertThat(r.contentType()).as(e.getKey()).startsWith("application/problem+json");
                assertThat(r.json().get("detail").asString()).as(e.getKey()).isNotBlank();
            }
        }
        for (String header : List.of("", "!!!", java.util.Base64.getEncoder().encodeToString(Deployed.bytes("garbage\n\nx")), "A".repeat(9000))) {
            Node.Response r = node.anonymous().send("GET", "/api/v1/agent/orders", null, java.net.http.HttpRequest.BodyPublishers.noBody());
            if (!header.isEmpty()) {
                r = get("/api/v1/agent/orders", header);
            }
            assertThat(r.status()).as("stream auth '%s': %s", header.length() > 20 ? header.substring(0, 20) : header, r).isBetween(400, 499);
            assertThat(r.contentType()).startsWith("application/problem+json");
        }
        for (String method : List.of("POST", "PUT", "DELETE")) {
            Node.Response other = node.anonymous().send(method, "/api/v1/agent/orders", "text/plain", java.net.http.HttpRequest.BodyPublishers.ofString("x"));
            assertThat(other.status()).as("%s /api/v1/agent/orders", method).isEqualTo(405);
            assertThat(other.contentType()).startsWith("application/problem+json");
            assertThat(other.headers().firstValue("Allow")).hasValue("GET");
        }
        for (String path : List.of("/api/v1/agent/license", "/api/v1/agent/halt")) {
            Node.Response tooLarge = d.post(path, new byte[64 * 1024 + 1]);
            assertThat(tooLarge.status()).as(path).isEqualTo(413);
            assertThat(tooLarge.json().get("detail").asString()).contains("exceeds the limit of 65536 bytes");
            assertThat(tooLarge.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(tooLarge.headers().firstValue("Cache-Control")).hasValue("no-store");
            for (String method : List.of("GET", "PUT", "DELETE")) {
                Node.Response other = node.anonymous().send(method, path, "text/plain", java.net.http.HttpRequest.BodyPublishers.noBody());
                assertThat(other.status()).as("%s %s", method, path).isEqualTo(405);
                assertThat(other.contentType()).startsWith("application/problem+json");
                assertThat(other.headers().firstValue("Allow")).hasValue("POST");
            }
        }
        String metrics = node.regulator().get("/actuator/prometheus").body();
        assertThat(metrics).contains("ditchley_agent_requests_total{request=\"license\",status=\"413\"}")
                .contains("ditchley_agent_requests_total{request=\"halt\",status=\"405\"}")
                .contains("ditchley_agent_requests_total{request=\"license\",status=\"401\"}")
                .contains("ditchley_agent_requests_total{request=\"orders\",status=\"405\"}");
    }

    @Test
    void agentMessagesSentInChunksAreReadWholeAndRefusedPastTheLimit() throws Exception {
        Deployed d = Deployed.create(node, dir, "Chunked model", null);
        // a body of unknown length goes out chunked: here in pieces of 7 bytes
        Node.Response licensed = chunked(d, "/api/v1/agent/license", d.request(Deployed.nonce(), Instant.now()), 7);
        assertThat(licensed.status()).as(licensed.toString()).isEqualTo(200);
        assertThat(License.parse(Signed.open(Deployed.bytes(licensed.body()), Deployed.vkey(node))).deployment()).isEqualTo(d.id());
        for (String path : List.of("/api/v1/agent/license", "/api/v1/agent/halt")) {
            Node.Response tooLarge = chunked(d, path, new byte[64 * 1024 + 1], 4096);
            assertThat(tooLarge.status()).as(path).isEqualTo(413);
            assertThat(tooLarge.contentType()).startsWith("application/problem+json");
            assertThat(tooLarge.json().get("detail").asString()).contains("more than 65536 bytes");
        }
        // and it answers the next message as before
        assertThat(chunked(d, "/api/v1/agent/license", d.request(Deployed.nonce(), Instant.now()), 64).status()).isEqualTo(200);
    }

    /** POSTs {@code body} with no declared length, so that it is sent in chunks of {@code piece} bytes. */
    private static Node.Response chunked(Deployed d, String path, byte[] body, int piece) {
        return d.node().anonymous().send("POST", path, "text/plain", java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                () -> new java.io.FilterInputStream(new java.io.ByteArrayInputStream(body)) {
                    @Override
                    public int read(byte[] b, int off, int len) throws java.io.IOException {
                        return super.read(b, off, Math.min(len, piece));
                    }
                }));
    }

    Node.Response get(String path, String auth) throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var response = http.send(java.net.http.HttpRequest.newBuilder(node.uri(path)).header("Ditchley-Agent-Auth", auth)
                .header("Accept", "text/event-stream").build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        return new Node.Response(response.statusCode(), response.body(), response.headers());
    }

    @Test
    void anOrderTakesEffectOnTheQuorumCoversDerivativesAndIsLiftedByTheLargerQuorum() throws Exception {
        Deployed base = Deployed.create(node, dir, "Stopped base", null);
        Deployed tuned = Deployed.create(node, dir, "Tuned from stopped base", base.model());
        Deployed bystander = Deployed.create(node, dir, "Unrelated bystander", null);
        Node.Caller first = node.regulator();
        Node.Caller second = officer();
        Node.Caller third = officer();
        Node.Caller analyst = node.account(node.regulator().organisationId, "REGULATOR");

        Map<String, Object> draft = Map.of("scope", "MODEL", "modelId", base.model(), "reasonKind", "RED_LINE",
                "reason", "autonomous replication demonstrated in evaluation", "graceSeconds", 5);
        assertThat(analyst.post("/api/v1/stop-orders", draft).status()).as("an analyst is not an officer").isEqualTo(403);
        assertThat(base.deployer().post("/api/v1/stop-orders", draft).status()).isEqualTo(403);
        Node.Response drafted = first.post("/api/v1/stop-orders", draft);
        assertThat(drafted.status()).as(drafted.toString()).isEqualTo(201);
        String order = drafted.json().get("id").asString();
        assertThat(drafted.json().get("status").asString()).isEqualTo("DRAFT");
        assertThat(drafted.json().get("approvals").asInt()).isEqualTo(1);

        // drafted is not in effect: licenses still flow
        assertThat(base.license(base.request(Deployed.nonce(), Instant.now())).status()).isEqualTo(200);

        Node.Response twice = first.post("/api/v1/stop-orders/" + order + "/approvals", Map.of());
        assertThat(twice.status()).isEqualTo(409);
        assertThat(twice.json().get("detail").asString()).contains("nobody approves twice");
        assertThat(analyst.post("/api/v1/stop-orders/" + order + "/approvals", Map.of()).status()).isEqualTo(403);
        Node.Response effective = second.post("/api/v1/stop-orders/" + order + "/approvals", Map.of());
        assertThat(effective.status()).as(effective.toString()).isEqualTo(200);
        assertThat(effective.json().get("status").asString()).isEqualTo("IN_EFFECT");
        assertThat(second.post("/api/v1/stop-orders/" + order + "/approvals", Map.of()).status()).isEqualTo(409);

        // the model and its derivative get no license; the bystander does
        for (Deployed stopped : List.of(base, tuned)) {
            Node.Response r = stopped.license(stopped.request(Deployed.nonce(), Instant.now()));
            assertThat(r.status()).as(r.toString()).isEqualTo(403);
            assertThat(r.json().get("detail").asString()).contains("stop order " + order);
        }
        assertThat(bystander.license(bystander.request(Deployed.nonce(), Instant.now())).status()).isEqualTo(200);

        // the public sees the order, its scope and coverage, not its reason or the copies
        JsonNode seen = node.anonymous().get("/api/v1/stop-orders/" + order).json();
        assertThat(seen.get("scope").asString()).isEqualTo("MODEL");
        assertThat(seen.get("modelId").asString()).isEqualTo(base.model());
        assertThat(seen.path("reason").isMissingNode() || seen.path("reason").isNull()).as("no reason for the public").isTrue();
        JsonNode board = node.anonymous().get("/api/v1/stop-orders/" + order + "/coverage").json();
        // the base holds a license and no agent stream is open; the derivative never held one, so it cannot be running
        assertThat(board.get("counts").get("UNREACHABLE").asInt()).isEqualTo(1);
        assertThat(board.get("counts").get("EXPIRED").asInt()).isEqualTo(1);
        assertThat(board.path("copies").isMissingNode() || board.path("copies").isNull()).as("no copies for the public").isTrue();
        JsonNode regulatorBoard = first.get("/api/v1/stop-orders/" + order + "/coverage").json();
        assertThat(regulatorBoard.get("copies")).hasSize(2);
        assertThat(regulatorBoard.get("copies").toString()).contains(base.deployment()).contains(tuned.deployment())
                .doesNotContain(bystander.deployment());
        assertThat(first.get("/api/v1/stop-orders/" + order).json().get("reason").asString()).contains("autonomous replication");

        // every step is on the ledger
        JsonNode entries = node.anonymous().get("/ledger/records/" + order).json();
        assertThat(entries.size()).isGreaterThanOrEqualTo(4);

        // a derivative declared after the order takes effect is covered at once
        Deployed later = Deployed.create(node, dir, "Tuned later", base.model());
        assertThat(later.license(later.request(Deployed.nonce(), Instant.now())).status()).isEqualTo(403);

        // lifting needs three distinct officers, each with a reason
        assertThat(first.post("/api/v1/stop-orders/" + order + "/lift", Map.of()).status()).isEqualTo(400);
        assertThat(first.post("/api/v1/stop-orders/" + order + "/lift", Map.of("reason", "mitigation verified")).json()
                .get("status").asString()).isEqualTo("IN_EFFECT");
        assertThat(second.post("/api/v1/stop-orders/" + order + "/lift", Map.of("reason", "audit passed")).json()
                .get("status").asString()).isEqualTo("IN_EFFECT");
        assertThat(base.license(base.request(Deployed.nonce(), Instant.now())).status()).isEqualTo(403);
        Node.Response lifted = third.post("/api/v1/stop-orders/" + order + "/lift", Map.of("reason", "board agreed"));
        assertThat(lifted.json().get("status").asString()).as(lifted.toString()).isEqualTo("LIFTED");
        assertThat(base.license(base.request(Deployed.nonce(), Instant.now())).status()).isEqualTo(200);
        assertThat(tuned.license(tuned.request(Deployed.nonce(), Instant.now())).status()).isEqualTo(200);
        assertThat(third.post("/api/v1/stop-orders/" + order + "/lift", Map.of("reason", "again")).status()).isEqualTo(409);
    }

    @Test
    void onlyTheDeployingOrganisationEnrolsItsAgent() throws Exception {
        Deployed d = Deployed.create(node, dir, "Enrolment model", null);
        Node.Caller otherDeployer = node.account(node.organisation("DEPLOYER"), "DEPLOYER");
        Map<String, Object> body = Map.of("agentKey", NoteSigner.generate("agent.example/x").verifier().toString(), "artifactId", d.artifact());
        assertThat(otherDeployer.put("/api/v1/deployments/" + d.deployment() + "/agent", body).status()).isEqualTo(404);
        assertThat(node.developer().put("/api/v1/deployments/" + d.deployment() + "/agent", body).status()).isEqualTo(403);
        assertThat(node.anonymous().put("/api/v1/deployments/" + d.deployment() + "/agent", body).status()).isEqualTo(401);
        Node.Response badKey = d.deployer().put("/api/v1/deployments/" + d.deployment() + "/agent", Map.of("agentKey", "nope", "artifactId", d.artifact()));
        assertThat(badKey.status()).isEqualTo(400);
        Deployed other = Deployed.create(node, dir, "Another enrolment model", null);
        Node.Response foreign = d.deployer().put("/api/v1/deployments/" + d.deployment() + "/agent",
                Map.of("agentKey", d.key().verifier().toString(), "artifactId", other.artifact()));
        assertThat(foreign.status()).isEqualTo(400);
        assertThat(foreign.json().get("detail").asString()).contains("another model");
        Node.Response shared = other.deployer().put("/api/v1/deployments/" + other.deployment() + "/agent",
                Map.of("agentKey", d.key().verifier().toString(), "artifactId", other.artifact()));
        assertThat(shared.status()).isEqualTo(409);
    }

    @Test
    void concurrentEnrolmentsOfOneKeyEnrolItOnceAndRefuseTheRestWithAConflict() throws Exception {
        List<Deployed> deployed = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            deployed.add(Deployed.create(node, dir, "Racing enrolment model " + i, null));
        }
        String key = NoteSigner.generate("agent.example/shared").verifier().toString();
        var start = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<Integer>> statuses = new java.util.ArrayList<>();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(deployed.size());
        try {
            for (Deployed d : deployed) {
                statuses.add(pool.submit(() -> {
                    start.await();
                    return d.deployer().put("/api/v1/deployments/" + d.deployment() + "/agent",
                            Map.of("agentKey", key, "artifactId", d.artifact())).status();
                }));
            }
            start.countDown();
            List<Integer> answered = new java.util.ArrayList<>();
            for (var f : statuses) {
                answered.add(f.get());
            }
            assertThat(answered).as("one enrolment, the rest conflicts, never a 500").containsOnly(200, 409);
            assertThat(answered).filteredOn(status -> status == 200).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theBoardShowsACopyThatHeardTheOrderAsPendingUntilItsReceiptArrives() throws Exception {
        Deployed d = Deployed.create(node, dir, "Pending model", null);
        assertThat(d.license(d.request(Deployed.nonce(), Instant.now())).status()).isEqualTo(200);
        String auth = java.util.Base64.getEncoder().encodeToString(
                Signed.sign(new org.ditchley.agent.StreamAuth(d.id(), Instant.now()).text(), d.key()));
        java.util.concurrent.BlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
        var stream = java.net.http.HttpClient.newHttpClient().sendAsync(java.net.http.HttpRequest.newBuilder(node.uri("/api/v1/agent/orders"))
                .header("Ditchley-Agent-Auth", auth).header("Accept", "text/event-stream").build(),
                java.net.http.HttpResponse.BodyHandlers.ofLines()).thenAccept(r -> r.body().forEach(lines::add));
        try {
            assertThat(lines.poll(10, java.util.concurrent.TimeUnit.SECONDS)).as("the stream opens").startsWith(":");
            String order = node.regulator().post("/api/v1/stop-orders", Map.of("scope", "DEPLOYMENTS", "targets", List.of(d.deployment()),
                    "reasonKind", "INCIDENT", "reason", "pending test", "graceSeconds", 0)).json().get("id").asString();
            Node.Caller second = officer();
            assertThat(second.post("/api/v1/stop-orders/" + order + "/approvals", Map.of()).status()).isEqualTo(200);
            String line;
            do {
                line = lines.poll(10, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(line).as("the order reaches the stream").isNotNull();
            } while (!line.startsWith("event:order"));

            JsonNode copy = awaitCopy(order, c -> !c.path("pushedAt").isNull() && !c.path("pushedAt").isMissingNode());
            assertThat(copy.get("state").asString()).isEqualTo("PENDING");

            byte[] receipt = Signed.sign(new org.ditchley.agent.HaltReceipt(d.id(), UUID.fromString(order), Instant.now(),
                    org.ditchley.agent.HaltReceipt.How.TERMINATED).text(), d.key());
            assertThat(d.post("/api/v1/agent/halt", receipt).json().get("recorded").asBoolean()).isTrue();
            Node.Response again = d.post("/api/v1/agent/halt", receipt);
            assertThat(again.status()).isEqualTo(200);
            assertThat(again.json().get("recorded").asBoolean()).as("a repeated receipt changes nothing").isFalse();
            Deployed uncovered = Deployed.create(node, dir, "Uncovered model", null);
            Node.Response refused = uncovered.post("/api/v1/agent/halt", Signed.sign(new org.ditchley.agent.HaltReceipt(uncovered.id(),
                    UUID.fromString(order), Instant.now(), org.ditchley.agent.HaltReceipt.How.TERMINATED).text(), uncovered.key()));
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.json().get("detail").asString()).contains("does not cover deployment " + uncovered.id());
            copy = awaitCopy(order, c -> c.get("state").asString().equals("HALTED"));
            assertThat(copy.get("pushedAt").asString()).as("the push time stays beside the receipt").isNotBlank();
            assertThat(copy.get("receivedAt").asString()).isNotBlank();
        } finally {
            stream.cancel(true);
        }
    }

    private JsonNode awaitCopy(String order, java.util.function.Predicate<JsonNode> until) throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        JsonNode copy;
        do {
            copy = node.regulator().get("/api/v1/stop-orders/" + order + "/coverage").json().get("copies").get(0);
            if (until.test(copy)) {
                return copy;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("the board never showed it: " + copy);
    }

    @Test
    void theNodeSignsAndChecksNotesWithTheNativeArithmetic() {
        // the node ships AWS-LC for the notes it handles thousands of a second: without it every
        // halt receipt costs more than twice the CPU to verify (Bouncy Castle's arithmetic)
        assertThat(NoteSigner.arithmetic()).contains("AmazonCorrettoCryptoProvider");
    }

    @Test
    void everyDeploymentRegisteredWhileAnOrderTakesEffectIsCoveredByIt() throws Exception {
        Deployed base = Deployed.create(node, dir, "Raced model", null);
        int threads = 4;
        int each = 12;
        java.util.concurrent.atomic.AtomicInteger registered = new java.util.concurrent.atomic.AtomicInteger();
        java.util.Set<String> ids = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.Queue<String> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        List<java.util.concurrent.Future<?>> registering = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            registering.add(pool.submit(() -> {
                for (int i = 0; i < each; i++) {
                    Node.Response r = base.deployer().post("/api/v1/deployments", Map.of("modelId", base.model(),
                            "locationKind", "CLOUD_REGION", "location", "eu-west-1",
                            "endpoint", "https://serve.example/raced-" + thread + "-" + i, "status", "ACTIVE"));
                    if (r.status() == 201) {
                        ids.add(r.json().get("id").asString());
                    } else {
                        failures.add(r.toString());
                    }
                    registered.incrementAndGet();
                }
            }));
        }
        // the order takes effect while the registrations run, about halfway through them
        String order = node.regulator().post("/api/v1/stop-orders", Map.of("scope", "MODEL", "modelId", base.model(),
                "reasonKind", "INCIDENT", "reason", "registrations racing the order", "graceSeconds", 0)).json().get("id").asString();
        while (registered.get() < threads * each / 2) {
            Thread.sleep(5);
        }
        Node.Response effective = officer().post("/api/v1/stop-orders/" + order + "/approvals", Map.of());
        assertThat(effective.json().get("status").asString()).as(effective.toString()).isEqualTo("IN_EFFECT");
        for (java.util.concurrent.Future<?> f : registering) {
            f.get(2, java.util.concurrent.TimeUnit.MINUTES);
        }
        pool.shutdown();
        assertThat(failures).as("every registration succeeds, none deadlocks").isEmpty();
        assertThat(registered.get()).isEqualTo(threads * each);

        java.util.Set<String> covered = new java.util.HashSet<>();
        node.regulator().get("/api/v1/stop-orders/" + order + "/coverage").json().get("copies")
                .forEach(c -> covered.add(c.get("deploymentId").asString()));
        assertThat(covered).as("registered before the order or after it, each is a copy it covers")
                .contains(base.deployment()).containsAll(ids).hasSize(1 + threads * each);
    }

    @Test
    void aStopOrderNamingANullTargetIsRefusedWithAProblemDetail() throws Exception {
        java.util.List<Object> targets = new java.util.ArrayList<>();
        targets.add(null);
        for (String scope : List.of("ARTIFACTS", "DEPLOYMENTS")) {
            Node.Response r = node.regulator().post("/api/v1/stop-orders", Map.of("scope", scope, "targets", targets,
                    "reasonKind", "OTHER", "reason", "null target", "graceSeconds", 0));
            assertThat(r.status()).as(r.toString()).isEqualTo(400);
            assertThat(r.json().get("detail").asString()).contains("null");
        }
    }

    @Test
    void agentEndpointsAnswerAnUnknownDeploymentExactlyAsAForgedSignature() throws Exception {
        Deployed d = Deployed.create(node, dir, "Existence model", null);
        NoteSigner stranger = NoteSigner.generate("agent.example/stranger");
        UUID unknown = UUID.randomUUID();
        for (UUID deployment : List.of(unknown, d.id())) {
            byte[] license = Signed.sign(new org.ditchley.agent.LicenseRequest(deployment, Deployed.nonce(), Instant.now()).text(), stranger);
            byte[] receipt = Signed.sign(new org.ditchley.agent.HaltReceipt(deployment, UUID.randomUUID(), Instant.now(),
                    org.ditchley.agent.HaltReceipt.How.KILLED).text(), stranger);
            String auth = java.util.Base64.getEncoder().encodeToString(
                    Signed.sign(new org.ditchley.agent.StreamAuth(deployment, Instant.now()).text(), stranger));
            for (Node.Response r : List.of(d.license(license), d.post("/api/v1/agent/halt", receipt), get("/api/v1/agent/orders", auth))) {
                assertThat(r.status()).as(r.toString()).isEqualTo(401);
                assertThat(r.json().get("detail").asString())
                        .isEqualTo("no agent key enrolled for deployment " + deployment + " verifies the message's signature");
            }
        }
    }

    @Test
    void aFloodOfForgedRequestsNamingADeploymentIsRefusedWhileItsAgentIsLicensed() throws Exception {
        Deployed d = Deployed.create(node, dir, "Flooded model", null);
        NoteSigner forger = NoteSigner.generate("agent.example/forger");
        var pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        try {
            List<java.util.concurrent.Future<Integer>> forged = new java.util.ArrayList<>();
            for (int i = 0; i < 800; i++) {
                forged.add(pool.submit(() -> d.license(Signed.sign(new org.ditchley.agent.LicenseRequest(d.id(), Deployed.nonce(),
                        Instant.now()).text(), forger)).status()));
            }
            List<Integer> genuine = new java.util.ArrayList<>();
            for (int i = 0; i < 5; i++) {
                genuine.add(d.license(d.request(Deployed.nonce(), Instant.now())).status());
            }
            for (var f : forged) {
                assertThat(f.get()).isEqualTo(401);
            }
            assertThat(genuine).containsOnly(200);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aReplacedAgentKeyIsRefusedAtOnceAndItsSuccessorAccepted() throws Exception {
        Deployed d = Deployed.create(node, dir, "Rotated key model", null);
        assertThat(d.license(d.request(Deployed.nonce(), Instant.now())).status()).as("the first key, now known to the node").isEqualTo(200);
        NoteSigner successor = NoteSigner.generate("agent.example/successor");
        Node.Response rotated = d.deployer().put("/api/v1/deployments/" + d.deployment() + "/agent",
                Map.of("agentKey", successor.verifier().toString(), "artifactId", d.artifact()));
        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
        Node.Response old = d.license(d.request(Deployed.nonce(), Instant.now()));
        assertThat(old.status()).as("signed with the replaced key: %s", old).isEqualTo(401);
        byte[] fresh = Signed.sign(new org.ditchley.agent.LicenseRequest(d.id(), Deployed.nonce(), Instant.now()).text(), successor);
        assertThat(d.license(fresh).status()).as("signed with the enrolled key").isEqualTo(200);
        byte[] oldReceipt = Signed.sign(new org.ditchley.agent.HaltReceipt(d.id(), UUID.randomUUID(), Instant.now(),
                org.ditchley.agent.HaltReceipt.How.KILLED).text(), d.key());
        assertThat(d.post("/api/v1/agent/halt", oldReceipt).status()).as("a receipt signed with the replaced key").isEqualTo(401);
    }
}
