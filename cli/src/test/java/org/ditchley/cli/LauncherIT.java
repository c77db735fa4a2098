package org.ditchley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ditchley.fingerprint.ModelHasher;
import org.ditchley.fingerprint.Transformers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The packaged {@code ditchley} launcher (target/ditchley beside ditchley.jar and the class-data
 * archive the build recorded): it runs the commands, the JVM maps the archive, and a launcher
 * whose archive no longer fits its jar still runs, printing nothing more on stdout.
 */
class LauncherIT {

    static final Path TARGET = Path.of("target").toAbsolutePath();
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;
    Path model;

    record Run(int status, String out, String err) {
    }

    @BeforeEach
    void model() throws IOException {
        model = Files.createDirectories(dir.resolve("tiny-llama"));
        Transformers.safetensors(model.resolve("model.safetensors"), Transformers.model(3), false, Map.of());
        Files.writeString(model.resolve("config.json"), "{}");
    }

    @Test
    void theLauncherFingerprintsWithTheArchiveMapped() throws Exception {
        Path classes = dir.resolve("classes.log");
        Run r = run(TARGET.resolve("ditchley"), Map.of("DITCHLEY_JAVA_OPTS", "-Xmx64m -Xlog:class+load:file=" + classes),
                "fingerprint", model.toString(), "--out", dir.resolve("fp.json").toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(subjectDigest(r.out())).isEqualTo(ModelHasher.hash(model, ModelHasher.Options.files(), n -> { }).subjectDigest().hex());
        assertThat(Files.readString(classes)).as("the command's classes come from the archive")
                .containsPattern("org\\.ditchley\\.cli\\.FingerprintCommand source: shared objects file")
                .containsPattern("org\\.ditchley\\.fingerprint\\.Fingerprinter source: shared objects file");
    }

    @Test
    void aLauncherLinkedFromElsewhereWithAStaleArchiveStillRuns() throws Exception {
        Path install = Files.createDirectories(dir.resolve("install"));
        for (String f : List.of("ditchley", "ditchley.jar", "ditchley.jsa")) {
            Files.copy(TARGET.resolve(f), install.resolve(f), StandardCopyOption.COPY_ATTRIBUTES);
        }
        // a jar other than the one the archive was recorded against: the JVM must set the archive aside quietly
        Files.setLastModifiedTime(install.resolve("ditchley.jar"), FileTime.fromMillis(System.currentTimeMillis()));
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path link = Files.createSymbolicLink(bin.resolve("ditchley"), install.resolve("ditchley"));
        Run r = run(link, Map.of(), "fingerprint", model.toString(), "--out", dir.resolve("fp.json").toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(subjectDigest(r.out())).isEqualTo(ModelHasher.hash(model, ModelHasher.Options.files(), n -> { }).subjectDigest().hex());
        Run version = run(link, Map.of(), "--version");
        assertThat(version.out()).isEqualTo("ditchley 0.1.0\n");
    }

    @Test
    void usageErrorsComeBackFromTheLauncherUnchanged() throws Exception {
        Run r = run(TARGET.resolve("ditchley"), Map.of(), "fingerprnt", model.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("Did you mean: ditchley fingerprint");
    }

    private static String subjectDigest(String statement) {
        JsonNode json = JSON.readTree(statement);
        return json.get("subject").get(0).get("digest").get("sha256").asString();
    }

    private Run run(Path launcher, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the launcher did not exit within 60 s");
        }
        return new Run(p.exitValue(), Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
    }
}
