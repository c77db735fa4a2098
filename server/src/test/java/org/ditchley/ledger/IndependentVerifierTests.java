package org.ditchley.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.ditchley.support.Node;
import org.ditchley.support.NodeTest;
import org.ditchley.tlog.Checkpoint;
import org.ditchley.tlog.NoteSigner;
import org.ditchley.tlog.NoteVerifier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A verifier written by others, pointed at a running node: {@code src/test/go/c2sp-verifier}
 * uses only the Go team's {@code golang.org/x/mod/sumdb/note} and {@code sumdb/tlog} (Debian's
 * golang-golang-x-mod-dev). It accepts the node's checkpoint signature, rebuilds the same root
 * from the tiles, matches every entry to its leaf, and accepts the node's inclusion proofs,
 * receipts and consistency proofs; it refuses a wrong key and a rewritten entry.
 *
 * <p>Needs {@code go}; CI installs it and sets {@code DITCHLEY_REQUIRE_GO} so the test cannot be
 * skipped there.
 */
@NodeTest
class IndependentVerifierTests {

    static Path verifier;

    @Autowired
    Node node;

    @Autowired
    Ledger ledger;

    @Autowired
    JdbcClient db;

    @BeforeAll
    static void build() throws Exception {
        boolean required = System.getenv("DITCHLEY_REQUIRE_GO") != null;
        boolean present = Files.isExecutable(Path.of("/usr/bin/go")) && Files.isDirectory(Path.of("/usr/share/gocode/src/golang.org/x/mod/sumdb"));
        if (!required) {
            Assumptions.assumeTrue(present, "go and golang-golang-x-mod-dev are not installed");
        }
        verifier = Path.of("target", "c2sp-verifier").toAbsolutePath();
        Result built = run(List.of("go", "build", "-o", verifier.toString(), "."), Path.of("src/test/go/c2sp-verifier"));
        assertThat(built.exit).as(built.output).isZero();
    }

    record Result(int exit, String output) {
    }

    static Result run(List<String> command, Path dir) throws IOException, InterruptedException {
        ProcessBuilder b = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        Map<String, String> env = b.environment();
        env.put("GO111MODULE", "off");
        env.put("GOPATH", "/usr/share/gocode");
        env.put("GOCACHE", Path.of("target", "go-cache").toAbsolutePath().toString());
        env.put("GOFLAGS", "");
        Process p = b.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), output);
    }

    Result verify(String vkey) throws Exception {
        return run(List.of(verifier.toString(), "-ledger", node.uri("/ledger/").toString(), "-vkey", vkey), Path.of("."));
    }

    /** Files enough entries for full tiles at level 0 and a tile at level 1, and waits until a checkpoint covers them. */
    NoteVerifier fill() throws Exception {
        List<CompletableFuture<Long>> filed = new ArrayList<>();
        for (int i = 0; i < 700; i++) {
            filed.add(ledger.append(new AppendingNode.CrashFiling(UUID.randomUUID(), Instant.now())));
        }
        long last = filed.stream().mapToLong(CompletableFuture::join).max().orElseThrow();
        NoteVerifier key = NoteVerifier.parse(node.anonymous().get("/ledger/vkey").body().strip());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (Checkpoint.open(node.anonymous().get("/ledger/checkpoint").body().getBytes(StandardCharsets.UTF_8), key).size() <= last) {
            assertThat(System.nanoTime()).as("a checkpoint covers the filings").isLessThan(deadline);
            Thread.sleep(50);
        }
        return key;
    }

    @Test
    void goSumdbPackagesVerifyTheNodesCheckpointTilesAndProofs() throws Exception {
        NoteVerifier key = fill();
        Result ok = verify(key.toString());
        assertThat(ok.exit).as(ok.output).isZero();
        assertThat(ok.output).startsWith("OK " + key.name() + " size ");

        NoteVerifier stranger = NoteSigner.generate(key.name()).verifier();
        Result wrongKey = verify(stranger.toString());
        assertThat(wrongKey.exit).as(wrongKey.output).isEqualTo(1);
        assertThat(wrongKey.output).contains("checkpoint does not verify");
    }

    @Test
    void aRewrittenEntryIsCaught() throws Exception {
        NoteVerifier key = fill();
        long index = 5;
        byte[] original = db.sql("select body from ledger_entry where idx = ?").param(index).query(byte[].class).single();
        byte[] forged = new String(original, StandardCharsets.UTF_8).replaceFirst("\\}$", ",\"z\":\"forged\"}")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(forged).isNotEqualTo(original);
        db.sql("update ledger_entry set body = ? where idx = ?").params(forged, index).update();
        try {
            Result caught = verify(key.toString());
            assertThat(caught.exit).as(caught.output).isEqualTo(1);
            assertThat(caught.output).contains("entry " + index + " does not hash to its leaf");
        } finally {
            db.sql("update ledger_entry set body = ? where idx = ?").params(original, index).update();
        }
    }
}
