package org.ditchley.termination;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.ditchley.agent.LicenseRequest;
import org.ditchley.agent.Signed;
import org.ditchley.fingerprint.ModelHasher;
import org.ditchley.fingerprint.Transformers;
import org.ditchley.support.Node;
import org.ditchley.tlog.NoteSigner;
import org.ditchley.tlog.NoteVerifier;

/** A registered model with an artifact, and an ACTIVE deployment of it whose agent key is enrolled. */
record Deployed(Node node, String model, String artifact, String digest, String deployment, NoteSigner key, Node.Caller deployer) {

    private static final AtomicLong SEED = new AtomicLong(500);

    /** A new model (a child of {@code parent} if not null) with an artifact, deployed and enrolled. */
    static Deployed create(Node node, Path dir, String name, String parent) throws Exception {
        Node.Caller dev = node.developer();
        String model = dev.post("/api/v1/models", Map.of("name", name, "modality", "language")).json().get("id").asString();
        if (parent != null) {
            Node.Response declared = dev.post("/api/v1/models/" + model + "/parents", Map.of("parentId", parent, "relation", "FINETUNE"));
            assertThat(declared.status()).as(declared.toString()).isIn(200, 201);
        }
        Path file = Transformers.safetensors(dir.resolve(UUID.randomUUID() + ".safetensors"), Transformers.model(SEED.incrementAndGet()),
                false, Map.of());
        Node.Response a = dev.post("/api/v1/models/" + model + "/artifacts",
                Map.of("name", name + " release", "statement", ModelHasher.hash(file, ModelHasher.Options.files(), n -> { }).statement()));
        assertThat(a.status()).as(a.toString()).isEqualTo(201);
        String artifact = a.json().get("artifact").get("id").asString();
        String digest = a.json().get("artifact").get("manifestDigest").asString();
        Node.Caller deployer = node.account(node.organisation("DEPLOYER"), "DEPLOYER");
        Node.Response d = deployer.post("/api/v1/deployments", Map.of("modelId", model, "locationKind", "CLOUD_REGION",
                "location", "eu-west-1", "endpoint", "https://serve.example/" + name.replace(' ', '-'), "status", "ACTIVE"));
        assertThat(d.status()).as(d.toString()).isEqualTo(201);
        String deployment = d.json().get("id").asString();
        NoteSigner key = NoteSigner.generate("agent.example/" + deployment.substring(0, 8));
        Node.Response enrolled = deployer.put("/api/v1/deployments/" + deployment + "/agent",
                Map.of("agentKey", key.verifier().toString(), "artifactId", artifact));
        assertThat(enrolled.status()).as(enrolled.toString()).isEqualTo(200);
        return new Deployed(node, model, artifact, digest, deployment, key, deployer);
    }

    UUID id() {
        return UUID.fromString(deployment);
    }

    static String nonce() {
        byte[] b = new byte[16];
        new java.security.SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** A license request signed by this deployment's agent key. */
    byte[] request(String nonce, Instant time) {
        return Signed.sign(new LicenseRequest(id(), nonce, time).text(), key);
    }

    Node.Response post(String path, byte[] body) {
        return node.anonymous().send("POST", path, "text/plain; charset=utf-8", HttpRequest.BodyPublishers.ofByteArray(body));
    }

    Node.Response license(byte[] request) {
        return post("/api/v1/agent/license", request);
    }

    static NoteVerifier vkey(Node node) throws Exception {
        return NoteVerifier.parse(node.anonymous().get("/api/v1/termination/vkey").body().strip());
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
