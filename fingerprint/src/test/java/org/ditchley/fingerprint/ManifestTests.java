package org.ditchley.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Model-signing manifests checked from first principles: every digest against coreutils'
 * {@code sha256sum} of the same bytes, the order against model-signing's path order, and the
 * subject digest against {@code sha256sum} of the concatenated raw digests.
 */
class ManifestTests {

    @TempDir
    Path dir;

    static String sha256sum(Path file) throws Exception {
        Process p = new ProcessBuilder("sha256sum", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out.substring(0, 64);
    }

    Path write(String name, int size, long seed) throws Exception {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        Path p = dir.resolve("model").resolve(name);
        Files.createDirectories(p.getParent());
        return Files.write(p, b);
    }

    @Test
    void filesAreHashedWholeInModelSigningOrderAndIgnoredPathsAreSkipped() throws Exception {
        write("a/b", 3_000_000, 1);
        write("a-c", 10, 2);
        write("a.b", 0, 3);
        write("sub/deeper/weights.safetensors", 1_500_000, 4);
        write(".git/config", 5, 5);
        write(".gitignore", 5, 6);
        write("model.sig", 5, 7);
        AtomicLong progress = new AtomicLong();
        Manifest m = ModelHasher.hash(dir.resolve("model"), ModelHasher.Options.files(), progress::addAndGet);

        assertThat(m.modelName()).isEqualTo("model");
        assertThat(m.resources()).extracting(Manifest.Resource::name).containsExactly("a/b", "a-c", "a.b", "sub/deeper/weights.safetensors");
        for (Manifest.Resource r : m.resources()) {
            assertThat(r.digest().hex()).as(r.name()).isEqualTo(sha256sum(dir.resolve("model").resolve(r.name())));
        }
        assertThat(progress.get()).isEqualTo(3_000_000 + 10 + 1_500_000);

        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        m.resources().forEach(r -> raw.writeBytes(r.digest().bytes()));
        Path concatenated = Files.write(dir.resolve("digests.bin"), raw.toByteArray());
        assertThat(m.subjectDigest().hex()).isEqualTo(sha256sum(concatenated));

        ObjectNode statement = m.statement();
        assertThat(statement.get("_type").asString()).isEqualTo("https://in-toto.io/Statement/v1");
        assertThat(statement.get("predicateType").asString()).isEqualTo("https://model_signing/signature/v1.0");
        assertThat(statement.get("subject").get(0).get("digest").get("sha256").asString()).isEqualTo(m.subjectDigest().hex());
        assertThat(statement.get("predicate").get("serialization").get("method").asString()).isEqualTo("files");
        assertThat(OmsStatement.read(statement).subject()).isEqualTo(m.subjectDigest());
    }

    @Test
    void shardsAreByteRangesOrderedByNumberNotText() throws Exception {
        Path file = write("w.bin", 1_150, 8);
        Manifest m = ModelHasher.hash(dir.resolve("model"), ModelHasher.Options.shards().withShardSize(100), n -> { });
        assertThat(m.resources()).hasSize(12);
        assertThat(m.resources().get(9).name()).isEqualTo("w.bin:900:1000");
        assertThat(m.resources().get(10).name()).isEqualTo("w.bin:1000:1100");
        assertThat(m.resources().get(11).name()).isEqualTo("w.bin:1100:1150");
        byte[] all = Files.readAllBytes(file);
        for (Manifest.Resource r : m.resources()) {
            String[] parts = r.name().split(":");
            int start = Integer.parseInt(parts[1]);
            int end = Integer.parseInt(parts[2]);
            Path piece = Files.write(dir.resolve("piece"), java.util.Arrays.copyOfRange(all, start, end));
            assertThat(r.digest().hex()).as(r.name()).isEqualTo(sha256sum(piece));
        }
        assertThat(m.statement().get("predicate").get("serialization").get("shard_size").asLong()).isEqualTo(100);
        assertThat(OmsStatement.read(m.statement()).method()).isEqualTo("shards");
    }

    /** A directory worked through model-signing's Python algorithm: {@code my-model} with two small files. */
    Path myModel() throws Exception {
        Path model = Files.createDirectories(dir.resolve("my-model"));
        Files.writeString(model.resolve("config.json"), "{\"arch\":\"demo\"}\n");
        byte[] weights = new byte[16];
        for (int i = 0; i < 16; i++) {
            weights[i] = (byte) i;
        }
        Files.write(model.resolve("weights.bin"), weights);
        return model;
    }

    @Test
    void knownAnswersOfModelSigningsAlgorithmByFilesAndByShards() throws Exception {
        Manifest files = ModelHasher.hash(myModel(), ModelHasher.Options.files(), n -> { });
        assertThat(files.modelName()).isEqualTo("my-model");
        assertThat(files.resources()).extracting(r -> r.name() + " " + r.digest().hex()).containsExactly(
                "config.json 3f9265fb83e19b6c5b727d0acef695e22cb1d0bb90922de296721b5e4b3815ec",
                "weights.bin be45cb2605bf36bebde684841a28f0fd43c69850a3dce5fedba69928ee3a8991");
        assertThat(files.subjectDigest().hex()).isEqualTo("232a09427e5b897d6cf70484752a463d816735d6ee53e0a428c696e0588774f6");

        Manifest shards = ModelHasher.hash(myModel(), ModelHasher.Options.shards().withShardSize(8), n -> { });
        assertThat(shards.resources()).extracting(Manifest.Resource::name)
                .containsExactly("config.json:0:8", "config.json:8:16", "weights.bin:0:8", "weights.bin:8:16");
        assertThat(shards.subjectDigest().hex()).isEqualTo("9a157ceabe2efbfdd1633a50f95b854b01f3d581ae85a03e0b055d61ed3516a7");
        assertThat(shards.statement().get("predicate").get("resources").get(0).get("algorithm").asString()).isEqualTo("sha256-sharded-8");
        assertThat(OmsStatement.read(shards.statement()).subject()).isEqualTo(shards.subjectDigest());
    }

    @Test
    void anEmptyFileIsAResourceByFilesAndNoShardByShards() throws Exception {
        write("empty.bin", 0, 1);
        write("w.bin", 10, 2);
        assertThat(ModelHasher.hash(dir.resolve("model"), ModelHasher.Options.files(), n -> { }).resources())
                .extracting(Manifest.Resource::name).containsExactly("empty.bin", "w.bin");
        assertThat(ModelHasher.hash(dir.resolve("model"), ModelHasher.Options.shards().withShardSize(4), n -> { }).resources())
                .extracting(Manifest.Resource::name).containsExactly("w.bin:0:4", "w.bin:4:8", "w.bin:8:10");
    }

    @Test
    void aSingleFileIsOneResourceNamedDotAsModelSigningNamesIt() throws Exception {
        Path file = write("only.gguf", 4_321, 9);
        Manifest m = ModelHasher.hash(file, ModelHasher.Options.files(), n -> { });
        assertThat(m.modelName()).isEqualTo("only.gguf");
        assertThat(m.resources()).singleElement().satisfies(r -> {
            assertThat(r.name()).isEqualTo(".");
            assertThat(r.digest().hex()).isEqualTo(sha256sum(file));
        });
    }

    @Test
    void symlinksAreRefusedUnlessAllowedAndLoopsAlways() throws Exception {
        Path target = write("real.bin", 100, 10);
        Files.createSymbolicLink(dir.resolve("model").resolve("link.bin"), target);
        assertThatThrownBy(() -> ModelHasher.hash(dir.resolve("model"), ModelHasher.Options.files(), n -> { }))
                .isInstanceOf(MalformedModelException.class).hasMessageContaining("link.bin is a symbolic link");
        Manifest followed = ModelHasher.hash(dir.resolve("model"), ModelHasher.Options.files().withSymlinks(true), n -> { });
        assertThat(followed.resources()).extracting(Manifest.Resource::name).containsExactly("link.bin", "real.bin");
        assertThat(followed.resources().get(0).digest()).isEqualTo(followed.resources().get(1).digest());

        Files.createSymbolicLink(dir.resolve("model").resolve("loop"), dir.resolve("model"));
        assertThatThrownBy(() -> ModelHasher.hash(dir.resolve("model"), ModelHasher.Options.files().withSymlinks(true), n -> { }))
                .isInstanceOf(MalformedModelException.class).hasMessageContaining("loop");
        assertThatThrownBy(() -> ModelHasher.hash(dir.resolve("absent"), ModelHasher.Options.files(), n -> { }))
                .isInstanceOf(MalformedModelException.class).hasMessageContaining("does not exist");
        java.nio.file.Files.createDirectories(dir.resolve("only-git/.git"));
        java.nio.file.Files.writeString(dir.resolve("only-git/.git/HEAD"), "ref");
        assertThatThrownBy(() -> ModelHasher.hash(dir.resolve("only-git"), ModelHasher.Options.files(), n -> { }))
                .isInstanceOf(MalformedModelException.class).hasMessageContaining("no regular files");
    }

    @Test
    void statementsThatDoNotAddUpAreRefused() throws Exception {
        write("a", 10, 11);
        write("b", 10, 12);
        Manifest m = ModelHasher.hash(dir.resolve("model"), ModelHasher.Options.files(), n -> { });
        ObjectNode wrongSubject = m.statement();
        ((ObjectNode) wrongSubject.get("subject").get(0).get("digest")).put("sha256", "00".repeat(32));
        assertThatThrownBy(() -> OmsStatement.read(wrongSubject)).hasMessageContaining("is not the digest of its resources");
        ObjectNode swapped = m.statement();
        ArrayNode resources = (ArrayNode) swapped.get("predicate").get("resources");
        var first = resources.get(0).deepCopy();
        resources.set(0, resources.get(1).deepCopy());
        resources.set(1, first);
        assertThatThrownBy(() -> OmsStatement.read(swapped)).hasMessageContaining("out of order");
        ObjectNode badType = m.statement();
        badType.put("predicateType", "https://example.com/other");
        assertThatThrownBy(() -> OmsStatement.read(badType)).hasMessageContaining("predicateType");
        ObjectNode badHex = m.statement();
        ((ObjectNode) badHex.get("predicate").get("resources").get(0)).put("digest", "xyz");
        assertThatThrownBy(() -> OmsStatement.read(badHex)).hasMessageContaining("64 hex digits");
        assertThat(HexFormat.of().formatHex(m.subjectDigest().bytes())).hasSize(64);
        assertThat(List.of(PathOrder.INSTANCE.compare("a/b", "a-c"), PathOrder.INSTANCE.compare("a-c", "a.b"))).containsOnly(-1);
    }
}
