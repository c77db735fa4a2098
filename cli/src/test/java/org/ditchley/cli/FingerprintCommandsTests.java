package org.ditchley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.ditchley.fingerprint.FingerprintJson;
import org.ditchley.fingerprint.ModelFingerprint;
import org.ditchley.fingerprint.ModelHasher;
import org.ditchley.fingerprint.Transformers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code ditchley fingerprint} and {@code ditchley identify} on real model files. */
class FingerprintCommandsTests {

    @TempDir
    Path dir;

    static final JsonMapper JSON = JsonMapper.builder().build();

    record Run(int status, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Ditchley.commandLine(args);
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int status = cli.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    Path model() throws Exception {
        Path model = Files.createDirectories(dir.resolve("tiny-llama"));
        Transformers.safetensors(model.resolve("model-00001-of-00002.safetensors"), Transformers.model(1), false, Map.of());
        Transformers.gguf(model.resolve("model-q8_0.gguf"), Transformers.model(1), 8);
        Files.writeString(model.resolve("config.json"), "{\"hidden_size\": 64}");
        return model;
    }

    @Test
    void printsTheStatementAndWritesTheFingerprint() throws Exception {
        Path model = model();
        Path out = dir.resolve("fp.json");
        Run r = run("fingerprint", model.toString(), "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode statement = JSON.readTree(r.out());
        assertThat(statement.get("predicateType").asString()).isEqualTo("https://model_signing/signature/v1.0");
        assertThat(statement.get("subject").get(0).get("digest").get("sha256").asString())
                .isEqualTo(ModelHasher.hash(model, ModelHasher.Options.files(), n -> { }).subjectDigest().hex());
        assertThat(statement.get("predicate").get("resources")).hasSize(3);
        ModelFingerprint fingerprint = FingerprintJson.read(JSON.readTree(Files.readString(out)));
        assertThat(fingerprint.tensors()).hasSize(2 * Transformers.model(1).weights().size());
        assertThat(fingerprint.sketches()).hasSize(32);
        assertThat(r.err()).contains("42 tensors digested, 32 sketched").contains("(SHA-256 by OpenSSL libcrypto)");

        Run sharded = run("fingerprint", model.toString(), "--sharded", "--shard-size", "10000", "--out", out.toString());
        assertThat(JSON.readTree(sharded.out()).get("predicate").get("serialization").get("method").asString()).isEqualTo("shards");
    }

    @Test
    void aMalformedModelExitsWithOneAndSaysWhy() throws Exception {
        Path bad = Files.write(dir.resolve("bad.safetensors"), new byte[] {(byte) 0xff, 0, 0, 0, 0, 0, 0, 0, '{', '}'});
        Run r = run("fingerprint", bad.toString(), "--out", dir.resolve("x.json").toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("malformed").contains("bad.safetensors");
    }

    @Test
    void identifySendsOnlyTheStatementAndFingerprintAndPrintsTheAnswer() throws Exception {
        AtomicReference<JsonNode> sent = new AtomicReference<>();
        AtomicReference<String> auth = new AtomicReference<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/identify", exchange -> {
            sent.set(JSON.readTree(exchange.getRequestBody().readAllBytes()));
            auth.set(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] answer = ("{\"matches\":[{\"artifactId\":\"a\",\"artifactName\":\"base-v1\",\"modelId\":\"m\",\"modelName\":\"Base\","
                    + "\"kind\":\"DERIVATIVE\",\"confidence\":1.0,\"evidence\":[\"16 sketched tensors: median correlation 0.9990\"]}]}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        try {
            Run r = run("identify", model().toString(), "--server", "http://127.0.0.1:" + server.getAddress().getPort(), "--token", "dtk_test");
            assertThat(r.status()).as(r.err()).isZero();
            assertThat(r.out()).contains("DERIVATIVE of Base (artifact base-v1").contains("median correlation 0.9990");
            assertThat(auth.get()).isEqualTo("Bearer dtk_test");
            assertThat(sent.get().propertyNames()).containsExactlyInAnyOrder("statement", "fingerprint");
            assertThat(sent.get().toString().length()).as("a fingerprint, not the weights").isLessThan(400_000);
        } finally {
            server.stop(0);
        }
        assertThat(run("identify", model().toString(), "--server", "http://127.0.0.1:1", "--token", "").status()).isEqualTo(2);
    }
}
