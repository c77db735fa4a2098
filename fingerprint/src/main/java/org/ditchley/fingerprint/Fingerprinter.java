package org.ditchley.fingerprint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;

/**
 * Fingerprints a model file or directory in one read of its bytes: each file (or shard) is read
 * once, in order, and every byte goes to the file's or shard's SHA-256 for the model-signing
 * manifest while every whole {@value TensorDigests#CHUNK}-byte chunk of a tensor also goes to
 * the CRC-32C of the tensor's digest ({@link TensorDigests}), and the sketch's sample values
 * are picked out of the same buffers ({@link Sketches.Sampler}). Files and shards are hashed in
 * parallel on all cores ({@link PieceHasher}); afterwards a tensor chunk cut by a shard boundary
 * is read again on its own (at most one chunk per boundary), as is a sample value whose bytes
 * two reads split.
 *
 * <p>Memory: the hashing threads' buffers ({@link PieceHasher}) and
 * {@value TensorDigests#CHECKSUM} bytes per tensor chunk, whatever the size of the tensors; the
 * parsed headers and the sketches (5 bytes per sample of each large tensor, plus 8 per sample of
 * each distinct shape), which grow with the number of tensors.
 */
public final class Fingerprinter {

    /** The manifest and the fingerprint of a model. */
    public record Result(Manifest manifest, ModelFingerprint fingerprint) {
    }

    private Fingerprinter() {
    }

    public static Result run(Path model, ModelHasher.Options options, LongConsumer progress) throws IOException, FingerprintException {
        List<Path> files = ModelHasher.files(model, options);
        Map<Path, List<Tensor>> tensorsOf = new HashMap<>();
        // by identity: two files with the same header have equal Tensor values but separate chunks
        Map<Tensor, PieceHasher.Chunks> chunks = new IdentityHashMap<>();
        Map<Tensor, Sketches.Sampler> samplers = new IdentityHashMap<>();
        Map<List<Long>, long[]> positionsOfShape = new HashMap<>();
        List<Path> weightFiles = new ArrayList<>();
        for (Path file : files) {
            if (TensorDigests.detect(file) == null) {
                String name = file.getFileName().toString();
                if (name.endsWith(".safetensors") || name.endsWith(".gguf")) {
                    throw new MalformedModelException(name + " is named as weights but is neither a safetensors nor a GGUF file");
                }
                tensorsOf.put(file, List.of());
                continue;
            }
            List<Tensor> tensors = new ArrayList<>(TensorDigests.tensors(file));
            tensors.sort(Comparator.comparingLong(Tensor::offset));
            tensorsOf.put(file, tensors);
            for (Tensor t : tensors) {
                chunks.put(t, new PieceHasher.Chunks(t));
                if (Sketches.qualifies(t)) {
                    samplers.put(t, new Sketches.Sampler(t, positionsOfShape.computeIfAbsent(t.shape(), Sketches::positions)));
                }
            }
            weightFiles.add(file);
        }
        boolean directory = Files.isDirectory(model);
        List<PieceHasher.Piece> pieces = new ArrayList<>();
        for (Path file : files) {
            String name = directory ? ModelHasher.relative(model, file) : ".";
            long size = Files.size(file);
            if (!options.sharded()) {
                pieces.add(new PieceHasher.Piece(name, file, 0, size, tensorsOf.get(file)));
            } else {
                // as model-signing shards: [0, s), [s, 2s), …, [ks, size); an empty file has none
                long start = 0;
                while (start < size) {
                    long end = Math.min(size, start + options.shardSize());
                    pieces.add(new PieceHasher.Piece(name + ":" + start + ":" + end, file, start, end, tensorsOf.get(file)));
                    start = end;
                }
            }
        }
        List<PieceHasher.Piece> biggestFirst = new ArrayList<>(pieces);
        biggestFirst.sort(Comparator.comparingLong((PieceHasher.Piece p) -> p.end() - p.start()).reversed());
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(options.threads(), Math.max(1, pieces.size())), r -> {
            Thread t = new Thread(r, "fingerprinter");
            t.setDaemon(true);
            return t;
        });
        ExecutorService readers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fingerprint-reader");
            t.setDaemon(true);
            return t;
        });
        PieceHasher hasher = new PieceHasher(chunks, samplers, pieces.size(), options.threads(), readers, progress);
        List<Manifest.Resource> resources = new ArrayList<>();
        List<TensorSketch> sketches = new ArrayList<>();
        try {
            List<Future<Manifest.Resource>> done = new ArrayList<>();
            for (PieceHasher.Piece p : biggestFirst) {
                done.add(pool.submit(() -> new Manifest.Resource(p.name(), hasher.hash(p))));
            }
            for (Future<Manifest.Resource> f : done) {
                resources.add(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fingerprinting " + model, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("fingerprinting " + model + " failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
            readers.shutdownNow();
        }
        List<TensorDigests.TensorDigest> digests = new ArrayList<>();
        byte[] buf = new byte[TensorDigests.CHUNK];
        for (Path file : weightFiles) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                for (Tensor t : tensorsOf.get(file)) {
                    PieceHasher.Chunks c = chunks.get(t);
                    for (int k = 0; k < c.done.length; k++) {
                        if (!c.done[k]) {
                            long from = t.offset() + (long) k * TensorDigests.CHUNK;
                            int len = (int) Math.min(TensorDigests.CHUNK, t.end() - from);
                            readFully(ch, buf, from, len, file);
                            TensorDigests.chunkHash(buf, len, c.hashes, TensorDigests.CHECKSUM * k);
                        }
                    }
                    digests.add(new TensorDigests.TensorDigest(t, TensorDigests.digest(t, c.hashes)));
                    Sketches.Sampler sampler = samplers.get(t);
                    if (sampler != null) {
                        sketches.add(sampler.finish(ch));
                    }
                }
            }
        }
        String modelName = model.toAbsolutePath().normalize().getFileName() == null ? "model"
                : model.toAbsolutePath().normalize().getFileName().toString();
        Manifest manifest = new Manifest(modelName, new Manifest.Serialization(options.sharded() ? "shards" : "files",
                options.shardSize(), options.allowSymlinks(), options.ignore().stream().sorted().toList()), resources);
        return new Result(manifest, new ModelFingerprint(digests, sketches));
    }

    static void readFully(FileChannel ch, byte[] buf, long at, int len, Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(buf, 0, len);
        long pos = at;
        while (b.hasRemaining()) {
            int n = ch.read(b, pos);
            if (n < 0) {
                throw new IOException(file + " ended at byte " + pos + " while it was read");
            }
            pos += n;
        }
    }
}
