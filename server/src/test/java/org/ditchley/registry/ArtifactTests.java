package org.ditchley.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ditchley.fingerprint.FingerprintJson;
import org.ditchley.fingerprint.ModelFingerprint;
import org.ditchley.fingerprint.ModelHasher;
import org.ditchley.fingerprint.Transformers;
import org.ditchley.support.Node;
import org.ditchley.support.NodeTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Artifacts registered by their digests and sketches, and weights identified against them over
 * real HTTP: an exact copy by its manifest, a fine-tune and a quantization by their sketches; an
 * undeclared derivative lands in the regulators' queue, a declared one does not.
 */
@NodeTest
class ArtifactTests {

    @Autowired
    Node node;

    @TempDir
    Path dir;

    Map<String, Object> evidence(Path file, boolean withStatement) throws Exception {
        Map<String, Object> body = new java.util.HashMap<>();
        body.put("fingerprint", FingerprintJson.write(ModelFingerprint.of(List.of(file))));
        if (withStatement) {
            body.put("statement", ModelHasher.hash(file, ModelHasher.Options.files(), n -> { }).statement());
        }
        return body;
    }

    Node.Response register(Node.Caller who, String model, String name, Path file) throws Exception {
        Map<String, Object> body = evidence(file, true);
        body.put("name", name);
        return who.post("/api/v1/models/" + model + "/artifacts", body);
    }

    @Test
    void copiesAndDerivativesAreFoundFromTheirFingerprintsAlone() throws Exception {
        Node.Caller lab = node.developer();
        Node.Caller other = node.developer();
        Node.Caller deployer = node.account(node.organisation("DEPLOYER"), "DEPLOYER");
        Transformers.Model weights = Transformers.model(1);
        Path baseFile = Transformers.safetensors(dir.resolve("base.safetensors"), weights, false, Map.of());
        String base = lab.post("/api/v1/models", Map.of("name", "Base model")).json().get("id").asString();
        Node.Response registered = register(lab, base, "base-v1 release", baseFile);
        assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
        String baseArtifact = registered.json().get("artifact").get("id").asString();
        assertThat(registered.json().get("artifact").get("manifestDigest").asString()).hasSize(64);
        assertThat(registered.json().get("detected")).isEmpty();
        assertThat(registered.headers().firstValue("Ditchley-Ledger-Entries")).isPresent();

        // a deployer asks about an exact copy, by its statement alone
        Path copy = Files.copy(baseFile, dir.resolve("copy.safetensors"));
        Map<String, Object> statementOnly = Map.of("statement", ModelHasher.hash(copy, ModelHasher.Options.files(), n -> { }).statement());
        JsonNode identical = deployer.post("/api/v1/identify", statementOnly).json().get("matches");
        assertThat(identical).hasSize(1);
        assertThat(identical.get(0).get("kind").asString()).isEqualTo("IDENTICAL");
        assertThat(identical.get(0).get("artifactId").asString()).isEqualTo(baseArtifact);
        assertThat(identical.get(0).get("modelName").asString()).isEqualTo("Base model");

        // another lab registers a fine-tune without declaring its parent: detected, and queued for regulators
        String tuned = other.post("/api/v1/models", Map.of("name", "Quietly tuned")).json().get("id").asString();
        Path tunedFile = Transformers.safetensors(dir.resolve("tuned.safetensors"), Transformers.fineTune(weights, 2, 0.1), false, Map.of());
        Node.Response t = register(other, tuned, "tuned", tunedFile);
        assertThat(t.status()).as(t.toString()).isEqualTo(201);
        assertThat(t.json().get("detected")).hasSize(1);
        assertThat(t.json().get("detected").get(0).get("kind").asString()).isEqualTo("DERIVATIVE");
        assertThat(t.json().get("detected").get(0).get("modelId").asString()).isEqualTo(base);
        JsonNode detected = node.anonymous().get("/api/v1/models/" + tuned + "/detected-lineage").json();
        assertThat(detected).hasSize(1);
        assertThat(detected.get(0).get("parentModelId").asString()).isEqualTo(base);
        assertThat(detected.get(0).get("declared").asBoolean()).isFalse();
        String page = node.anonymous().get("/models/" + tuned).body();
        assertThat(page).contains("Lineage in the weights").contains("Base model").contains("no (an alert for regulators)");
        JsonNode queue = node.regulator().get("/api/v1/review-queue").json();
        assertThat(queue.get("detectedLineage").toString()).contains(tuned).contains(base);

        // a declared quantization is detected as declared and is not an alert
        String quantized = other.post("/api/v1/models", Map.of("name", "Base Q8_0")).json().get("id").asString();
        assertThat(other.post("/api/v1/models/" + quantized + "/parents", Map.of("parentId", base, "relation", "QUANTIZED")).status())
                .isIn(200, 201);
        Node.Response q = register(other, quantized, "q8_0 gguf", Transformers.gguf(dir.resolve("q8.gguf"), weights, 8));
        assertThat(q.json().get("detected").get(0).get("kind").asString()).isEqualTo("DERIVATIVE");
        assertThat(node.anonymous().get("/api/v1/models/" + quantized + "/detected-lineage").json().get(0).get("declared").asBoolean()).isTrue();
        assertThat(node.regulator().get("/api/v1/review-queue").json().get("detectedLineage").toString()).doesNotContain(quantized);

        // unrelated weights of the same architecture match nothing
        Path unrelated = Transformers.safetensors(dir.resolve("unrelated.safetensors"), Transformers.model(77), false, Map.of());
        assertThat(deployer.post("/api/v1/identify", evidence(unrelated, false)).json().get("matches")).isEmpty();
        assertThat(node.anonymous().get("/api/v1/models/" + base + "/artifacts").json()).hasSize(1);
    }

    @Test
    void aParentAndItsDerivativeRegisteredAtTheSameMomentStillFindEachOther() throws Exception {
        Node.Caller lab = node.developer();
        Node.Caller other = node.developer();
        List<java.util.concurrent.Callable<Node.Response>> filings = new java.util.ArrayList<>();
        List<String[]> pairs = new java.util.ArrayList<>();
        for (int seed = 101; seed <= 104; seed++) {
            Transformers.Model weights = Transformers.model(seed);
            Path parentFile = Transformers.safetensors(dir.resolve("p" + seed + ".safetensors"), weights, false, Map.of());
            Path childFile = Transformers.safetensors(dir.resolve("c" + seed + ".safetensors"), Transformers.fineTune(weights, seed, 0.1), false, Map.of());
            String parent = lab.post("/api/v1/models", Map.of("name", "Parent " + seed)).json().get("id").asString();
            String child = other.post("/api/v1/models", Map.of("name", "Child " + seed)).json().get("id").asString();
            pairs.add(new String[] {parent, child});
            filings.add(() -> register(lab, parent, "parent", parentFile));
            filings.add(() -> register(other, child, "child", childFile));
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(filings.size());
        try {
            for (var f : pool.invokeAll(filings)) {
                assertThat(f.get().status()).as(f.get().toString()).isEqualTo(201);
            }
        } finally {
            pool.shutdownNow();
        }
        for (String[] pair : pairs) {
            JsonNode fromChild = node.anonymous().get("/api/v1/models/" + pair[1] + "/detected-lineage").json();
            JsonNode fromParent = node.anonymous().get("/api/v1/models/" + pair[0] + "/detected-lineage").json();
            assertThat(fromChild.size() + fromParent.size()).as("the pair %s, %s is linked once", pair[0], pair[1]).isEqualTo(1);
            String linked = fromChild.size() == 1 ? fromChild.get(0).get("parentModelId").asString() : fromParent.get(0).get("parentModelId").asString();
            assertThat(linked).isIn(pair[0], pair[1]);
        }
    }

    @Test
    void onlyTheModelsOwnLabOrARegulatorRegistersItsArtifactsAndBadEvidenceIsRefused() throws Exception {
        Node.Caller lab = node.developer();
        String model = lab.post("/api/v1/models", Map.of("name", "Guarded")).json().get("id").asString();
        Path file = Transformers.safetensors(dir.resolve("g.safetensors"), Transformers.model(3), false, Map.of());
        assertThat(register(node.developer(), model, "not yours", file).status()).isEqualTo(403);
        assertThat(node.anonymous().post("/api/v1/identify", evidence(file, false)).status()).isEqualTo(401);
        assertThat(register(node.regulator(), model, "filed by the regulator", file).status()).isEqualTo(201);

        Node.Response nothing = lab.post("/api/v1/models/" + model + "/artifacts", Map.of("name", "empty"));
        assertThat(nothing.status()).isEqualTo(400);
        assertThat(nothing.json().get("detail").asString()).contains("statement, a fingerprint or both");
        Map<String, Object> forged = evidence(file, true);
        tools.jackson.databind.node.ObjectNode statement = (tools.jackson.databind.node.ObjectNode) forged.get("statement");
        ((tools.jackson.databind.node.ObjectNode) statement.get("subject").get(0).get("digest")).put("sha256", "ab".repeat(32));
        forged.put("name", "forged");
        Node.Response refused = lab.post("/api/v1/models/" + model + "/artifacts", forged);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("detail").asString()).contains("not the digest of its resources");
        Node.Response badSketch = lab.post("/api/v1/identify", Map.of("fingerprint", Map.of("sketches",
                List.of(Map.of("name", "w", "dtype", "F32", "shape", List.of(64, 64), "values", "AAAA")))));
        assertThat(badSketch.status()).isEqualTo(400);
        assertThat(badSketch.json().get("detail").asString()).contains("1024 float32");
        Node.Response overflow = lab.post("/api/v1/identify", Map.of("fingerprint", Map.of("tensors",
                List.of(Map.of("name", "w", "dtype", "F32", "shape", List.of(4294967296L, 4294967296L), "digest", "00".repeat(32))))));
        assertThat(overflow.status()).isEqualTo(400);
        assertThat(overflow.json().get("detail").asString()).contains("overflows");
        assertThat(lab.post("/api/v1/identify", Map.of("fingerprint", "not an object")).status()).isEqualTo(400);
    }
}
