package org.ditchley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ditchley.tlog.Checkpoint;
import org.ditchley.tlog.MerkleTree;
import org.ditchley.tlog.Note;
import org.ditchley.tlog.NoteSigner;
import org.ditchley.tlog.TilePath;
import org.ditchley.tlog.TlogProof;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ditchley log verify} and {@code check-receipt} against a log served over real HTTP. */
class LogCommandsTests {

    static final NoteSigner KEY = NoteSigner.generate("test.ditchley.invalid/log");

    final List<byte[]> entries = new ArrayList<>();
    byte[] checkpoint;
    HttpServer server;
    String err;

    @TempDir
    Path dir;

    @BeforeEach
    void serve() throws IOException {
        grow(600);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/ledger/", exchange -> {
            String path = exchange.getRequestURI().getPath().substring("/ledger/".length());
            byte[] body;
            try {
                if (path.equals("checkpoint")) {
                    body = checkpoint;
                } else {
                    TilePath tile = TilePath.parse(path);
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    for (long i = tile.index() * 256; i < tile.index() * 256 + tile.width(); i++) {
                        byte[] e = entries.get((int) i);
                        out.write(e.length >>> 8);
                        out.write(e.length & 0xff);
                        out.writeBytes(e);
                    }
                    body = out.toByteArray();
                }
            } catch (Exception e) {
                body = null;
            }
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            if (body != null) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    void grow(int to) {
        while (entries.size() < to) {
            entries.add(("{\"n\":" + entries.size() + "}").getBytes(StandardCharsets.UTF_8));
        }
        sign();
    }

    void sign() {
        MerkleTree tree = new MerkleTree();
        entries.forEach(tree::appendEntry);
        checkpoint = Note.sign(new Checkpoint(KEY.name(), entries.size(), tree.root(entries.size())).text(), KEY);
    }

    int run(String... args) {
        StringWriter errors = new StringWriter();
        CommandLine cli = Ditchley.commandLine(args);
        cli.setErr(new PrintWriter(errors));
        cli.setOut(new PrintWriter(new StringWriter()));
        int status = cli.execute(args);
        err = errors.toString();
        return status;
    }

    String ledger() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/ledger";
    }

    @Test
    void verifiesAnHonestLogAndMonitorsItsGrowth() {
        Path state = dir.resolve("state");
        assertThat(run("log", "verify", "--ledger", ledger(), "--vkey", KEY.verifier().toString(), "--state", state.toString()))
                .isZero();
        grow(900);
        assertThat(run("log", "verify", "--ledger", ledger(), "--vkey", KEY.verifier().toString(), "--state", state.toString()))
                .isZero();
    }

    @Test
    void catchesARewrittenEntry() {
        entries.set(7, "{\"n\":\"rewritten\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(run("log", "verify", "--ledger", ledger(), "--vkey", KEY.verifier().toString())).isEqualTo(1);
        assertThat(err).contains("FAILED").contains("root");
    }

    @Test
    void catchesAForkAgainstTheRememberedCheckpoint() {
        Path state = dir.resolve("state");
        assertThat(run("log", "verify", "--ledger", ledger(), "--vkey", KEY.verifier().toString(), "--state", state.toString()))
                .isZero();
        entries.set(3, "{\"n\":\"history rewritten and re-signed\"}".getBytes(StandardCharsets.UTF_8));
        grow(700);
        assertThat(run("log", "verify", "--ledger", ledger(), "--vkey", KEY.verifier().toString(), "--state", state.toString()))
                .isEqualTo(1);
        assertThat(err).contains("no longer extends");
    }

    @Test
    void refusesACheckpointSignedByAnotherKey() {
        assertThat(run("log", "verify", "--ledger", ledger(), "--vkey", NoteSigner.generate(KEY.name()).verifier().toString()))
                .isEqualTo(1);
        assertThat(err).contains("checkpoint");
    }

    @Test
    void checksAReceiptOffline() throws Exception {
        MerkleTree tree = new MerkleTree();
        entries.forEach(tree::appendEntry);
        Path receipt = Files.write(dir.resolve("r.tlog-proof"),
                new TlogProof(null, 42, tree.inclusionProof(42, entries.size()), checkpoint).bytes());
        Path entry = Files.write(dir.resolve("entry"), entries.get(42));
        assertThat(run("log", "check-receipt", receipt.toString(), "--vkey", KEY.verifier().toString(), "--entry", entry.toString()))
                .isZero();
        Path other = Files.write(dir.resolve("other"), entries.get(43));
        assertThat(run("log", "check-receipt", receipt.toString(), "--vkey", KEY.verifier().toString(), "--entry", other.toString()))
                .isEqualTo(1);
        assertThat(err).contains("FAILED");
    }
}
