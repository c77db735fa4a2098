package org.ditchley.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.ditchley.DitchleyApplication;
import org.ditchley.support.ChildNodes;
import org.ditchley.support.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * A node in a child JVM is killed with SIGKILL in the middle of an import and started again on
 * the same data directory: it starts with no manual step (the orphaned postmaster is dealt with),
 * every row committed before the kill is there, and the ledger's new checkpoint is consistent
 * with every checkpoint published before the kill.
 */
class CrashRecoveryTests {

    static final int ROWS = 10_000;

    final HttpClient http = HttpClient.newHttpClient();
    final ChildNodes nodes = new ChildNodes();

    @AfterEach
    void stopChildren() throws InterruptedException {
        nodes.stopAll();
    }

    @Test
    @Timeout(300)
    void killedDuringAnImportTheNodeRestartsWithEveryCommittedRow() throws Exception {
        Path dataDir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")), "crash-");
        int port = freePort();
        Process first = start(dataDir, port, "first");
        awaitReady(port, first);

        assertThat(Files.getPosixFilePermissions(dataDir.resolve("setup-token")))
                .as("the set-up token is readable by its owner only")
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        assertThat(Files.readString(dataDir.resolve("first.log"))).contains("/setup?token=setup_");
        String setupToken = Files.readString(dataDir.resolve("setup-token")).strip();
        JsonNode opened = post(port, null, "/api/v1/setup", "application/json", Node.json(Map.of("token", setupToken,
                "organisation", "Crash Regulator", "jurisdiction", "GB", "name", "R", "email", "r@crash.test",
                "password", "a long enough password")));
        String token = opened.get("apiToken").asString();

        StringBuilder csv = new StringBuilder("Model,Organization,Training compute (FLOP)\n");
        for (int i = 0; i < ROWS; i++) {
            csv.append("Crash model ").append(i).append(",Crash org ").append(i % 50).append(',').append(1e20 + i).append('\n');
        }
        CompletableFuture<HttpResponse<String>> importing = http.sendAsync(HttpRequest.newBuilder(uri(port, "/api/v1/imports/epoch"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString(csv.toString())).build(), HttpResponse.BodyHandlers.ofString());

        org.ditchley.tlog.NoteVerifier key = org.ditchley.tlog.NoteVerifier.parse(getText(port, "/ledger/vkey").strip());
        java.util.Map<Long, org.ditchley.tlog.Checkpoint> published = new java.util.TreeMap<>();
        long seen = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (seen < 1_000 && System.nanoTime() < deadline) {
            seen = total(port);
            org.ditchley.tlog.Checkpoint c = org.ditchley.tlog.Checkpoint.open(
                    getText(port, "/ledger/checkpoint").getBytes(StandardCharsets.UTF_8), key);
            published.put(c.size(), c);
            Thread.sleep(20);
        }
        assertThat(seen).as("rows committed before the kill").isBetween(1_000L, (long) ROWS - 1);
        long postmaster = postmasterPid(dataDir);
        first.destroyForcibly().waitFor();
        assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive)).as("postmaster orphaned by SIGKILL").contains(true);
        assertThat(importing.handle((r, e) -> e != null || r.statusCode() != 201).get()).as("the import was cut off").isTrue();

        Process second = start(dataDir, port, "second");
        awaitReady(port, second);
        long after = total(port);
        assertThat(after).as("rows present after restart").isGreaterThanOrEqualTo(seen);
        assertThat(after % 100).as("rows land in whole batches").isZero();

        // The log after the restart extends every checkpoint published before the kill.
        org.ditchley.tlog.Checkpoint now = org.ditchley.tlog.Checkpoint.open(
                getText(port, "/ledger/checkpoint").getBytes(StandardCharsets.UTF_8), key);
        long checkpointDeadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (now.size() < after && System.nanoTime() < checkpointDeadline) {
            Thread.sleep(100);
            now = org.ditchley.tlog.Checkpoint.open(getText(port, "/ledger/checkpoint").getBytes(StandardCharsets.UTF_8), key);
        }
        assertThat(published.keySet().stream().max(Long::compare).orElse(0L)).isLessThanOrEqualTo(now.size());
        for (org.ditchley.tlog.Checkpoint before : published.values()) {
            if (before.size() == 0) {
                continue;
            }
            JsonNode proof = Node.JSON.readTree(getText(port, "/ledger/consistency?from=" + before.size() + "&to=" + now.size()));
            List<org.ditchley.tlog.Hash> hashes = new ArrayList<>();
            proof.get("proof").forEach(h -> hashes.add(org.ditchley.tlog.Hash.fromBase64(h.asString())));
            org.ditchley.tlog.MerkleProofs.verifyConsistency(before.size(), now.size(), hashes, before.root(), now.root());
        }
        assertThat(published).as("checkpoints seen before the kill").hasSizeGreaterThan(1);

        JsonNode resumed = post(port, token, "/api/v1/imports/epoch", "text/csv", csv.toString());
        assertThat(resumed.get("created").asInt()).isEqualTo(ROWS - (int) after);
        assertThat(resumed.get("unchanged").asInt()).isEqualTo((int) after);
        assertThat(total(port)).isEqualTo(ROWS);
    }

    Process start(Path dataDir, int port, String name) throws IOException {
        return nodes.start(DitchleyApplication.class.getName(), dataDir, port, name);
    }

    void awaitReady(int port, Process process) throws Exception {
        nodes.awaitReady(port, process, "/actuator/health/readiness");
    }

    String getText(int port, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(port, path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return r.body();
    }

    long total(int port) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(port, "/api/v1/models?size=1")).build(),
                HttpResponse.BodyHandlers.ofString());
        return Node.JSON.readTree(r.body()).get("total").asLong();
    }

    JsonNode post(int port, String token, String path, String type, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(port, path)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return Node.JSON.readTree(r.body());
    }

    static long postmasterPid(Path dataDir) throws IOException {
        return Long.parseLong(Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).get(0).strip());
    }

    static URI uri(int port, String path) {
        return ChildNodes.uri(port, path);
    }

    static int freePort() throws IOException {
        return ChildNodes.freePort();
    }
}
