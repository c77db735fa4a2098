package org.ditchley.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import org.ditchley.fingerprint.FingerprintException;
import org.ditchley.fingerprint.FingerprintJson;
import org.ditchley.fingerprint.Manifest;
import org.ditchley.fingerprint.ModelFingerprint;
import org.ditchley.fingerprint.ModelHasher;
import org.ditchley.fingerprint.Fingerprinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code ditchley fingerprint PATH}: prints the model's OpenSSF model-signing statement and
 * writes its fingerprint (per-tensor digests and similarity sketch) beside it. The weights are
 * only read, here; nothing is sent anywhere.
 */
@Command(name = "fingerprint", mixinStandardHelpOptions = true,
        description = {"Prints the model-signing (OMS) in-toto statement of a model file or directory and writes its",
                "fingerprint: the digest of every tensor and a similarity sketch of the large ones.",
                "Exit status: 0 done, 1 the model is malformed, 2 usage or I/O error."})
final class FingerprintCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "A model file or directory")
    Path path;

    @Option(names = "--sharded", description = "Hash files in shards of --shard-size bytes (model-signing's shards method)")
    boolean sharded;

    @Option(names = "--shard-size", defaultValue = "1000000000", description = "Shard size in bytes (default ${DEFAULT-VALUE})")
    long shardSize;

    @Option(names = "--allow-symlinks", description = "Follow symbolic links instead of refusing them")
    boolean allowSymlinks;

    @Option(names = "--out", description = "Where to write the fingerprint (default: <name>.fingerprint.json)")
    Path out;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    record Result(Manifest manifest, ModelFingerprint fingerprint) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Result r;
        try {
            r = fingerprint(path, options(sharded, shardSize, allowSymlinks), err);
        } catch (FingerprintException e) {
            err.println("malformed: " + e.getMessage());
            return 1;
        }
        Path target = out != null ? out : Path.of(r.manifest().modelName() + ".fingerprint.json");
        Files.writeString(target, JsonText.pretty(FingerprintJson.write(r.fingerprint())));
        spec.commandLine().getOut().println(JsonText.pretty(r.manifest().statement()));
        err.printf("%d tensors digested, %d sketched; fingerprint written to %s (SHA-256 by %s)%n", r.fingerprint().tensors().size(),
                r.fingerprint().sketches().size(), target, ModelHasher.sha256Implementation());
        return 0;
    }

    static ModelHasher.Options options(boolean sharded, long shardSize, boolean allowSymlinks) {
        return (sharded ? ModelHasher.Options.shards() : ModelHasher.Options.files()).withShardSize(shardSize).withSymlinks(allowSymlinks);
    }

    /** The manifest and fingerprint of {@code path}, with a progress line on {@code err}. */
    static Result fingerprint(Path path, ModelHasher.Options options, PrintWriter err) throws Exception {
        long total = 0;
        for (Path p : listFiles(path, options)) {
            total += Files.size(p);
        }
        Progress progress = new Progress(err, total, 64L << 20, Progress::bytes);
        AtomicLong done = new AtomicLong();
        Fingerprinter.Result result = Fingerprinter.run(path, options, n -> progress.update(done.addAndGet(n)));
        progress.done();
        return new Result(result.manifest(), result.fingerprint());
    }

    private static List<Path> listFiles(Path path, ModelHasher.Options options) throws Exception {
        return ModelHasher.files(path, options);
    }

    static ObjectNode body(Result r) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("statement", r.manifest().statement());
        body.set("fingerprint", FingerprintJson.write(r.fingerprint()));
        return body;
    }
}
