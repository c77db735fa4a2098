package org.ditchley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.ditchley.tlog.NoteSigner;
import org.ditchley.tlog.NoteVerifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ditchley agent keygen} and the checks {@code ditchley agent run} makes before it starts anything. */
class AgentCommandTests {

    @TempDir
    Path dir;

    @Test
    void keygenWritesAnOwnerOnlyKeyAndPrintsItsVerifierKey() throws Exception {
        Path file = dir.resolve("agent.key");
        FingerprintCommandsTests.Run r = FingerprintCommandsTests.run("agent", "keygen", "--name", "agent.example/eu-west-1", "--out", file.toString());
        assertThat(r.status()).as(r.err()).isZero();
        NoteVerifier printed = NoteVerifier.parse(r.out().strip());
        NoteSigner written = NoteSigner.parse(Files.readString(file).strip());
        assertThat(printed.toString()).isEqualTo(written.verifier().toString());
        assertThat(printed.name()).isEqualTo("agent.example/eu-west-1");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

        FingerprintCommandsTests.Run again = FingerprintCommandsTests.run("agent", "keygen", "--name", "other", "--out", file.toString());
        assertThat(again.status()).isEqualTo(2);
        assertThat(again.err()).contains("never overwritten");
        assertThat(Files.readString(file).strip()).isEqualTo(written.secret());
    }

    @Test
    void runRefusesABadKeyOrRegulatorKeyOrNoWorkloadBeforeStartingAnything() throws Exception {
        Path key = dir.resolve("agent.key");
        FingerprintCommandsTests.run("agent", "keygen", "--name", "agent.example/a", "--out", key.toString());
        String regulator = NoteSigner.generate("regulator.example/termination").verifier().toString();
        Path marker = dir.resolve("started");
        String[] workload = {"--", "sh", "-c", "touch " + marker};
        String deployment = java.util.UUID.randomUUID().toString();

        Path bad = Files.writeString(dir.resolve("bad.key"), "not a key\n");
        FingerprintCommandsTests.Run badKey = FingerprintCommandsTests.run(concat(new String[] {"agent", "run", "--server", "http://127.0.0.1:9",
                "--deployment", deployment, "--key", bad.toString(), "--regulator-key", regulator}, workload));
        assertThat(badKey.status()).isEqualTo(2);
        assertThat(badKey.err()).contains("error:");

        FingerprintCommandsTests.Run badRegulator = FingerprintCommandsTests.run(concat(new String[] {"agent", "run", "--server", "http://127.0.0.1:9",
                "--deployment", deployment, "--key", key.toString(), "--regulator-key", dir.resolve("missing.vkey").toString()}, workload));
        assertThat(badRegulator.status()).isEqualTo(2);

        FingerprintCommandsTests.Run noWorkload = FingerprintCommandsTests.run("agent", "run", "--server", "http://127.0.0.1:9",
                "--deployment", deployment, "--key", key.toString(), "--regulator-key", regulator);
        assertThat(noWorkload.status()).isEqualTo(2);
        assertThat(noWorkload.err()).contains("CMD");

        FingerprintCommandsTests.Run notAnId = FingerprintCommandsTests.run(concat(new String[] {"agent", "run", "--server", "http://127.0.0.1:9",
                "--deployment", "not-a-uuid", "--key", key.toString(), "--regulator-key", regulator}, workload));
        assertThat(notAnId.status()).isEqualTo(2);
        assertThat(Files.exists(marker)).as("no workload started").isFalse();
    }

    static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
