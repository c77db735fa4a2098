package org.ditchley.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ditchley.support.Node;
import org.ditchley.support.NodeTest;
import org.ditchley.tlog.Checkpoint;
import org.ditchley.tlog.Hash;
import org.ditchley.tlog.MerkleTree;
import org.ditchley.tlog.NoteVerifier;
import org.ditchley.tlog.Rfc6962;
import org.ditchley.tlog.TilePath;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The ledger as an outside verifier sees it: the checkpoint verifies with the published key, and
 * the tree rebuilt from the entry bundles has the checkpoint's root.
 */
@NodeTest
class LedgerTests {

    @Autowired
    Node node;

    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient db;

    final HttpClient http = HttpClient.newHttpClient();

    byte[] get(String path, int status) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(node.uri(path)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(path + ": " + new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(status);
        return r.body();
    }

    /** The latest checkpoint once it covers at least {@code size} entries. */
    Checkpoint checkpointCovering(long size, NoteVerifier key) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            Checkpoint c = Checkpoint.open(get("/ledger/checkpoint", 200), key);
            if (c.size() >= size || System.nanoTime() > deadline) {
                return c;
            }
            Thread.sleep(100);
        }
    }

    @Test
    void everyRegistryChangeIsOnTheLogAndTheTilesRebuildTheSignedRoot() throws Exception {
        Node.Caller dev = node.developer();
        String id = dev.post("/api/v1/models", Map.of("name", "Logged model")).json().get("id").asString();
        NoteVerifier key = NoteVerifier.parse(new String(get("/ledger/vkey", 200), StandardCharsets.UTF_8).strip());
        assertThat(key.name()).startsWith("local.ditchley.invalid/");

        long appended = db.sql("select size from ledger_state").query(Long.class).single();
        Checkpoint checkpoint = checkpointCovering(appended, key);
        long size = checkpoint.size();
        assertThat(size).as("a checkpoint follows within the bounded delay").isGreaterThanOrEqualTo(appended);

        MerkleTree tree = new MerkleTree();
        List<String> entries = new ArrayList<>();
        for (long tile = 0; tile * TilePath.WIDTH < size; tile++) {
            int width = (int) Math.min(TilePath.WIDTH, size - tile * TilePath.WIDTH);
            byte[] bundle = get("/ledger/" + new TilePath(-1, tile, width).path(), 200);
            for (int at = 0; at < bundle.length; ) {
                int length = ((bundle[at] & 0xff) << 8) | (bundle[at + 1] & 0xff);
                byte[] entry = java.util.Arrays.copyOfRange(bundle, at + 2, at + 2 + length);
                tree.appendEntry(entry);
                entries.add(new String(entry, StandardCharsets.UTF_8));
                at += 2 + length;
            }
            byte[] hashes = get("/ledger/" + new TilePath(0, tile, width).path(), 200);
            assertThat(hashes).hasSize(width * Hash.SIZE);
        }
        assertThat(tree.size()).isEqualTo(size);
        assertThat(tree.root(size)).isEqualTo(checkpoint.root());
        assertThat(entries).anySatisfy(e -> assertThat(e).contains("\"type\":\"ModelRegistered\"").contains("\"id\":\"" + id + "\"")
                .contains("\"by\":\"" + dev.accountId + "\"").startsWith("{\"by\""));
        assertThat(entries).anySatisfy(e -> assertThat(e).contains("\"type\":\"OrganisationCreated\""));
    }

    @Test
    void aFilerGetsAReceiptItCanCheckOffline() throws Exception {
        Node.Caller dev = node.developer();
        NoteVerifier key = NoteVerifier.parse(new String(get("/ledger/vkey", 200), StandardCharsets.UTF_8).strip());
        Node.Response filed = dev.post("/api/v1/models", Map.of("name", "Receipted model"));
        String id = filed.json().get("id").asString();

        // the filing's response names its entry and where its receipt is, which is served at once
        long index = Long.parseLong(filed.headers().firstValue("Ditchley-Ledger-Entries").orElseThrow());
        assertThat(filed.headers().allValues("Link")).containsExactly("</ledger/entries/" + index + "/receipt>; rel=\"receipt\"");
        org.ditchley.tlog.TlogProof receipt = org.ditchley.tlog.TlogProof.parse(get("/ledger/entries/" + index + "/receipt", 200));

        tools.jackson.databind.JsonNode indexes = node.anonymous().get("/ledger/records/" + id).json();
        assertThat(indexes).hasSize(1);
        assertThat(indexes.get(0).asLong()).isEqualTo(index);
        tools.jackson.databind.JsonNode entry = node.anonymous().get("/ledger/entries/" + index).json();
        assertThat(entry.get("entry").asString()).contains("ModelRegistered").contains(id).endsWith(",\"version\":1}");

        // each later entry about the record is its next version
        Node.Response updated = dev.put("/api/v1/models/" + id, Map.of("name", "Receipted model, renamed"));
        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        long next = Long.parseLong(updated.headers().firstValue("Ditchley-Ledger-Entries").orElseThrow());
        get("/ledger/entries/" + next + "/receipt", 200);
        assertThat(node.anonymous().get("/ledger/entries/" + next).json().get("entry").asString())
                .contains("\"type\":\"ModelUpdated\"").endsWith(",\"version\":2}");

        Hash leaf = Rfc6962.leafHash(entry.get("entry").asString().getBytes(StandardCharsets.UTF_8));
        Checkpoint checkpoint = receipt.verify(leaf, key, List.of(), 0);
        assertThat(checkpoint.size()).isGreaterThan(index);

        tools.jackson.databind.JsonNode proof = node.anonymous().get("/ledger/entries/" + index + "/proof").json();
        List<Hash> path = new ArrayList<>();
        proof.get("proof").forEach(h -> path.add(Hash.fromBase64(h.asString())));
        org.ditchley.tlog.MerkleProofs.verifyInclusion(index, proof.get("size").asLong(), leaf, path,
                Hash.fromBase64(proof.get("root").asString()));

        tools.jackson.databind.JsonNode consistency = node.anonymous().get("/ledger/consistency?from=1&to=" + checkpoint.size()).json();
        List<Hash> hashes = new ArrayList<>();
        consistency.get("proof").forEach(h -> hashes.add(Hash.fromBase64(h.asString())));
        tools.jackson.databind.JsonNode first = node.anonymous().get("/ledger/entries/0/proof?size=1").json();
        org.ditchley.tlog.MerkleProofs.verifyConsistency(1, checkpoint.size(), hashes,
                Hash.fromBase64(first.get("root").asString()), checkpoint.root());

        assertThat(node.anonymous().get("/ledger/entries/" + (checkpoint.size() + 1000)).status()).isEqualTo(404);
        assertThat(node.anonymous().get("/ledger/entries/-1/receipt").status()).isEqualTo(404);
        assertThat(node.anonymous().get("/ledger/consistency?from=5&to=2").status()).isEqualTo(400);
        assertThat(node.anonymous().get("/ledger/entries/0/proof?size=0").status()).isEqualTo(400);

        // a client that prefers a minimal answer is not kept waiting for the sequencer; its entry is on the log all the same
        Node.Response minimal = dev.post("/api/v1/models", Map.of("name", "Filed in a hurry"), "Prefer", "return=minimal");
        assertThat(minimal.status()).isEqualTo(201);
        assertThat(minimal.headers().firstValue("Ditchley-Ledger-Entries")).isEmpty();
        String hurried = minimal.json().get("id").asString();
        long waited = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (node.anonymous().get("/ledger/records/" + hurried).json().isEmpty() && System.nanoTime() < waited) {
            Thread.sleep(50);
        }
        assertThat(node.anonymous().get("/ledger/records/" + hurried).json()).hasSize(1);

        // a refused filing files nothing and names no entry
        Node.Response refused = dev.post("/api/v1/models", Map.of("name", ""));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.headers().firstValue("Ditchley-Ledger-Entries")).isEmpty();
    }

    @Test
    void aConfidentialFilingIsOnTheLogAsACommitmentOpenedOnlyToItsOrganisationAndRegulators() throws Exception {
        Node.Caller dev = node.developer();
        String model = dev.post("/api/v1/models", Map.of("name", "Confidential run model")).json().get("id").asString();
        Node.Response filed = dev.post("/api/v1/training-runs", Map.of("modelId", model, "plannedCompute", 3.1e25,
                "plannedStart", "2031-01-01T00:00:00Z", "plannedEnd", "2031-03-01T00:00:00Z"));
        assertThat(filed.status()).as(filed.toString()).isEqualTo(201);
        String run = filed.json().get("id").asString();
        long index = Long.parseLong(filed.headers().firstValue("Ditchley-Ledger-Entries").orElseThrow());
        get("/ledger/entries/" + index + "/receipt", 200);

        // the public sees that a training run was registered, and nothing about it
        String published = node.anonymous().get("/ledger/entries/" + index).json().get("entry").asString();
        tools.jackson.databind.JsonNode entry = Node.JSON.readTree(published);
        assertThat(entry.propertyNames()).containsExactlyInAnyOrder("type", "commitment");
        assertThat(entry.get("type").asString()).isEqualTo("TrainingRunRegistered");
        assertThat(published).doesNotContain(run).doesNotContain(dev.organisationId.toString()).doesNotContain(model);
        assertThat(node.anonymous().get("/ledger/records/" + run).json()).hasSize(1);

        // the developer opens it and checks the commitment
        tools.jackson.databind.JsonNode opening = dev.get("/api/v1/ledger/entries/" + index + "/opening").json();
        byte[] salt = java.util.Base64.getDecoder().decode(opening.get("salt").asString());
        byte[] committed = opening.get("committed").asString().getBytes(StandardCharsets.UTF_8);
        assertThat(salt).hasSize(32);
        assertThat(java.util.HexFormat.of().formatHex(org.ditchley.platform.Hashes.sha256(salt, committed)))
                .isEqualTo(entry.get("commitment").asString());
        tools.jackson.databind.JsonNode inside = Node.JSON.readTree(committed);
        assertThat(inside.get("id").asString()).isEqualTo(run);
        assertThat(inside.get("version").asInt()).isEqualTo(1);
        assertThat(inside.get("organisation").asString()).isEqualTo(dev.organisationId.toString());
        assertThat(inside.get("sha256").asString()).isEqualTo(org.ditchley.platform.Hashes.sha256Hex(
                opening.get("record").asString().getBytes(StandardCharsets.UTF_8)));
        assertThat(opening.get("record").asString()).contains("3.1E25");

        assertThat(node.regulator().get("/api/v1/ledger/entries/" + index + "/opening").status()).isEqualTo(200);
        assertThat(node.developer().get("/api/v1/ledger/entries/" + index + "/opening").status()).isEqualTo(403);
        assertThat(node.anonymous().get("/api/v1/ledger/entries/" + index + "/opening").status()).isEqualTo(401);
        long modelEntry = node.anonymous().get("/ledger/records/" + model).json().get(0).asLong();
        assertThat(dev.get("/api/v1/ledger/entries/" + modelEntry + "/opening").status()).as("a public entry has nothing to open").isEqualTo(404);
    }

    @Test
    void badAndUnpublishedTilesAreRefused() throws Exception {
        get("/ledger/tile/0/0001", 400);
        get("/ledger/tile/entries/x999/x999/x999/x999/x999/000", 404);
        get("/ledger/tile/70/000", 400);
        get("/ledger/tile/0/000.p/0", 400);
    }

    @Test
    void theLogKeyIsKeptOutsideTheDatabaseForItsOwnerOnly() throws Exception {
        assertThat(Files.getPosixFilePermissions(node.dataDir().resolve("ledger.key")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }
}
