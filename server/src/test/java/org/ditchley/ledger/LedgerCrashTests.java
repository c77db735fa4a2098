package org.ditchley.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ditchley.DitchleyApplication;
import org.ditchley.support.ChildNodes;
import org.ditchley.support.Node;
import org.ditchley.tlog.Checkpoint;
import org.ditchley.tlog.Hash;
import org.ditchley.tlog.MerkleProofs;
import org.ditchley.tlog.MerkleTree;
import org.ditchley.tlog.NoteVerifier;
import org.ditchley.tlog.TilePath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * A node appending to its ledger at full rate is killed with SIGKILL and started again on the same
 * data directory. Read back through the public tiles, the log then holds every entry the node
 * acknowledged, at the index it acknowledged, exactly once, with no gap; and the log extends every
 * checkpoint published before the kill.
 */
class LedgerCrashTests {

    static final long ACKNOWLEDGED_BEFORE_KILL = 50_000;

    final HttpClient http = HttpClient.newHttpClient();
    final ChildNodes nodes = new ChildNodes();

    @AfterEach
    void stopChildren() throws InterruptedException {
        nodes.stopAll();
    }

    @Test
    @Timeout(300)
    void killedWhileAppendingTheLogKeepsEveryAcknowledgedEntryAndExtendsEveryCheckpoint() throws Exception {
        Path dataDir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")), "ledger-crash-");
        int port = ChildNodes.freePort();
        Process first = nodes.start(AppendingNode.class.getName(), dataDir, port, "first");
        nodes.awaitReady(port, first, "/ledger/checkpoint");
        NoteVerifier key = NoteVerifier.parse(text(port, "/ledger/vkey").strip());

        Map<Long, Checkpoint> published = new TreeMap<>();
        Path acks = dataDir.resolve("acknowledged");
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while ((!Files.exists(acks) || Files.size(acks) < ACKNOWLEDGED_BEFORE_KILL * 45 || published.size() < 3)
                && System.nanoTime() < deadline) {
            Checkpoint c = Checkpoint.open(text(port, "/ledger/checkpoint").getBytes(StandardCharsets.UTF_8), key);
            published.put(c.size(), c);
            Thread.sleep(20);
        }
        first.destroyForcibly().waitFor();

        Map<Long, String> acknowledged = new HashMap<>();
        for (String line : Files.readAllLines(acks)) {
            String[] parts = line.split(" ");
            if (parts.length == 2 && parts[1].length() == 36) {
                acknowledged.put(Long.parseLong(parts[0]), parts[1]);
            }
        }
        assertThat((long) acknowledged.size()).as("entries acknowledged before the kill").isGreaterThanOrEqualTo(ACKNOWLEDGED_BEFORE_KILL);
        long highestAcknowledged = acknowledged.keySet().stream().max(Long::compare).orElseThrow();

        Process second = nodes.start(DitchleyApplication.class.getName(), dataDir, port, "second");
        nodes.awaitReady(port, second, "/ledger/checkpoint");
        Checkpoint now = Checkpoint.open(text(port, "/ledger/checkpoint").getBytes(StandardCharsets.UTF_8), key);
        long checkpointDeadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (now.size() <= highestAcknowledged && System.nanoTime() < checkpointDeadline) {
            Thread.sleep(100);
            now = Checkpoint.open(text(port, "/ledger/checkpoint").getBytes(StandardCharsets.UTF_8), key);
        }
        assertThat(now.size()).as("the restarted log covers every acknowledged index").isGreaterThan(highestAcknowledged);

        // Rebuild the whole log from its entry bundles, as any verifier would.
        MerkleTree tree = new MerkleTree();
        Map<String, Long> indexOfId = new HashMap<>();
        List<String> duplicates = new ArrayList<>();
        for (long tile = 0; tile * TilePath.WIDTH < now.size(); tile++) {
            int width = (int) Math.min(TilePath.WIDTH, now.size() - tile * TilePath.WIDTH);
            byte[] bundle = bytes(port, "/ledger/" + new TilePath(-1, tile, width).path());
            int count = 0;
            for (int at = 0; at < bundle.length; count++) {
                int length = ((bundle[at] & 0xff) << 8) | (bundle[at + 1] & 0xff);
                byte[] entry = java.util.Arrays.copyOfRange(bundle, at + 2, at + 2 + length);
                long index = tree.size();
                tree.appendEntry(entry);
                JsonNode json = Node.JSON.readTree(entry);
                if (json.get("type").asString().equals("CrashFiling") && indexOfId.put(json.get("id").asString(), index) != null) {
                    duplicates.add(json.get("id").asString());
                }
                at += 2 + length;
            }
            assertThat(count).as("entries in bundle %d", tile).isEqualTo(width);
        }
        assertThat(tree.size()).isEqualTo(now.size());
        assertThat(tree.root(now.size())).as("the tiles rebuild the signed root").isEqualTo(now.root());
        assertThat(duplicates).as("filings on the log twice").isEmpty();
        acknowledged.forEach((index, id) -> assertThat(indexOfId.get(id)).as("index of acknowledged filing %s", id).isEqualTo(index));

        assertThat(published.size()).as("checkpoints seen before the kill").isGreaterThanOrEqualTo(3);
        for (Checkpoint before : published.values()) {
            if (before.size() > 0) {
                assertThat(tree.root(before.size())).as("root at %d", before.size()).isEqualTo(before.root());
            }
        }
        Checkpoint last = ((TreeMap<Long, Checkpoint>) published).lastEntry().getValue();
        JsonNode proof = Node.JSON.readTree(text(port, "/ledger/consistency?from=" + last.size() + "&to=" + now.size()));
        List<Hash> hashes = new ArrayList<>();
        proof.get("proof").forEach(h -> hashes.add(Hash.fromBase64(h.asString())));
        MerkleProofs.verifyConsistency(last.size(), now.size(), hashes, last.root(), now.root());
    }

    String text(int port, String path) throws Exception {
        return new String(bytes(port, path), StandardCharsets.UTF_8);
    }

    byte[] bytes(int port, String path) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri(port, path)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(path + ": " + new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        return r.body();
    }

    static URI uri(int port, String path) {
        return ChildNodes.uri(port, path);
    }
}
