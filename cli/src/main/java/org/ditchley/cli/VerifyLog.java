package org.ditchley.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.ditchley.tlog.Checkpoint;
import org.ditchley.tlog.MerkleTree;
import org.ditchley.tlog.NoteVerifier;
import org.ditchley.tlog.TilePath;
import org.ditchley.tlog.TlogException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Fetches a ledger's checkpoint, checks its signature, rebuilds the tree from every entry
 * bundle and compares roots. With {@code --state} it also checks that the log still extends the
 * checkpoint seen last time (a monitor), then remembers the new one.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Verify a ledger: checkpoint signature, every entry, and (with --state) consistency with the last run.")
final class VerifyLog implements Callable<Integer> {

    @Option(names = "--ledger", required = true, description = "The ledger URL, e.g. https://node.example/ledger")
    URI ledger;

    @Option(names = "--vkey", required = true, description = "The log's verifier key (name+keyid+key)")
    String vkey;

    @Option(names = "--state", description = "A file remembering the last verified checkpoint")
    Path state;

    @Spec
    CommandSpec spec;

    /** Made when the command runs: picocli makes every command object at start-up, and a client's TLS set-up is slow. */
    private HttpClient http;

    @Override
    public Integer call() throws Exception {
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NORMAL).build();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        NoteVerifier key = NoteVerifier.parse(vkey.strip());
        byte[] note = get("checkpoint");
        Checkpoint checkpoint;
        try {
            checkpoint = Checkpoint.open(note, key);
        } catch (TlogException e) {
            err.println("FAILED: checkpoint: " + e.getMessage());
            return 1;
        }
        MerkleTree tree = new MerkleTree();
        long size = checkpoint.size();
        Progress progress = new Progress(err, size, 10_000, Progress::entries);
        for (long tile = 0; tile * TilePath.WIDTH < size; tile++) {
            int width = (int) Math.min(TilePath.WIDTH, size - tile * TilePath.WIDTH);
            byte[] bundle = get(new TilePath(-1, tile, width).path());
            int count = 0;
            for (int at = 0; at < bundle.length; count++) {
                if (at + 2 > bundle.length) {
                    err.println("FAILED: entry bundle " + tile + " is truncated");
                    return 1;
                }
                int length = ((bundle[at] & 0xff) << 8) | (bundle[at + 1] & 0xff);
                if (at + 2 + length > bundle.length) {
                    err.println("FAILED: entry bundle " + tile + " is truncated");
                    return 1;
                }
                tree.appendEntry(java.util.Arrays.copyOfRange(bundle, at + 2, at + 2 + length));
                at += 2 + length;
            }
            if (count != width) {
                err.println("FAILED: entry bundle " + tile + " holds " + count + " entries, not " + width);
                return 1;
            }
            progress.update(tree.size());
        }
        progress.done();
        if (!tree.root(size).equals(checkpoint.root())) {
            err.println("FAILED: the entries give root " + tree.root(size) + ", the checkpoint says " + checkpoint.root());
            return 1;
        }
        if (state != null && Files.exists(state)) {
            Checkpoint previous;
            try {
                previous = Checkpoint.open(Files.readAllBytes(state), key);
            } catch (TlogException e) {
                err.println("FAILED: the remembered checkpoint in " + state + ": " + e.getMessage());
                return 1;
            }
            if (previous.size() > size) {
                err.println("FAILED: the log shrank from " + previous.size() + " to " + size + " entries");
                return 1;
            }
            if (!tree.root(previous.size()).equals(previous.root())) {
                err.println("FAILED: the log no longer extends the checkpoint of size " + previous.size()
                        + ": root then " + previous.root() + ", now " + tree.root(previous.size()));
                return 1;
            }
        }
        if (state != null) {
            Path temp = Files.createTempFile(state.toAbsolutePath().getParent(), "checkpoint", ".tmp");
            Files.write(temp, note);
            Files.move(temp, state, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        out.println("verified " + checkpoint.origin() + " at size " + size + ", root " + checkpoint.root());
        return 0;
    }

    private byte[] get(String path) throws IOException, InterruptedException {
        String base = ledger.toString().endsWith("/") ? ledger.toString() : ledger + "/";
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IOException(path + " answered HTTP " + r.statusCode());
        }
        return r.body();
    }
}
