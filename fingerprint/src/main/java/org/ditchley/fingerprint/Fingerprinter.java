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
 * the CRC-32C of the tensor's digest ({@link TensorDigests}). Files and shards are read in
 * parallel on all cores; a tensor chunk cut by a shard boundary is read again on its own
 * afterwards (at most one chunk per boundary). The sketches sample each file's large tensors on
 * the same threads once the pieces are all taken.
 *
 * <p>Memory: one {@value TensorDigests#CHUNK}-byte buffer per thread,
 * {@value TensorDigests#CHECKSUM} bytes per tensor chunk, and the parsed headers, whatever the
 * model's size.
 */
public final class Fingerprinter {

    /** The manifest and the fingerprint of a model. */
    public record Result(Manifest manifest, ModelFingerprint fingerprint) {
    }

    private record Piece(String name, Path file, long start, long end, List<Tensor> tensors) {
    }

    /** The chunk hashes of one tensor, filled in by whichever thread reads each chunk. */
    private static final class Chunks {
        final Tensor tensor;
        final byte[] hashes;
        final boolean[] done;

        Chunks(Tensor tensor) {
            this.tensor = tensor;
            int n = TensorDigests.chunks(tensor.length());
            this.hashes = new byte[TensorDigests.CHECKSUM * n];
            this.done = new boolean[n];
        }
    }

    private Fingerprinter() {
    }

    public static Result run(Path model, ModelHasher.Options options, LongConsumer progress) throws IOException, FingerprintException {
        List<Path> files = ModelHasher.files(model, options);
        Map<Path, List<Tensor>> tensorsOf = new HashMap<>();
        // by identity: two files with the same header have equal Tensor values but separate chunks
        Map<Tensor, Chunks> chunks = new IdentityHashMap<>();
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
            tensors.forEach(t -> chunks.put(t, new Chunks(t)));
            weightFiles.add(file);
        }
        boolean directory = Files.isDirectory(model);
        List<Piece> pieces = new ArrayList<>();
        for (Path file : files) {
            String name = directory ? ModelHasher.relative(model, file) : ".";
            long size = Files.size(file);
            if (!options.sharded()) {
                pieces.add(new Piece(name, file, 0, size, tensorsOf.get(file)));
            } else {
                // as model-signing shards: [0, s), [s, 2s), …, [ks, size); an empty file has none
                long start = 0;
                while (start < size) {
                    long end = Math.min(size, start + options.shardSize());
                    pieces.add(new Piece(name + ":" + start + ":" + end, file, start, end, tensorsOf.get(file)));
                    start = end;
                }
            }
        }
        List<Piece> biggestFirst = new ArrayList<>(pieces);
        biggestFirst.sort(Comparator.comparingLong((Piece p) -> p.end() - p.start()).reversed());
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(options.threads(), Math.max(1, pieces.size())), r -> {
            Thread t = new Thread(r, "fingerprinter");
            t.setDaemon(true);
            return t;
        });
        ThreadLocal<Buffers> buffers = ThreadLocal.withInitial(Buffers::new);
        List<Manifest.Resource> resources = new ArrayList<>();
        List<TensorSketch> sketches = new ArrayList<>();
        try {
            List<Future<Manifest.Resource>> done = new ArrayList<>();
            for (Piece p : biggestFirst) {
                done.add(pool.submit(() -> new Manifest.Resource(p.name(), read(p, chunks, buffers.get(), progress))));
            }
            // queued behind the pieces: a thread that runs out of pieces samples while the others still read
            List<Future<List<TensorSketch>>> sampled = new ArrayList<>();
            for (Path file : weightFiles) {
                sampled.add(pool.submit(() -> Sketches.of(file, tensorsOf.get(file))));
            }
            for (Future<Manifest.Resource> f : done) {
                resources.add(f.get());
            }
            for (Future<List<TensorSketch>> f : sampled) {
                sketches.addAll(f.get());
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
        }
        List<TensorDigests.TensorDigest> digests = new ArrayList<>();
        byte[] buf = new byte[TensorDigests.CHUNK];
        for (Path file : weightFiles) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                for (Tensor t : tensorsOf.get(file)) {
                    Chunks c = chunks.get(t);
                    for (int k = 0; k < c.done.length; k++) {
                        if (!c.done[k]) {
                            long from = t.offset() + (long) k * TensorDigests.CHUNK;
                            int len = (int) Math.min(TensorDigests.CHUNK, t.end() - from);
                            readFully(ch, buf, from, len, file);
                            TensorDigests.chunkHash(buf, len, c.hashes, TensorDigests.CHECKSUM * k);
                        }
                    }
                    digests.add(new TensorDigests.TensorDigest(t, TensorDigests.digest(t, c.hashes)));
                }
            }
        }
        String modelName = model.toAbsolutePath().normalize().getFileName() == null ? "model"
                : model.toAbsolutePath().normalize().getFileName().toString();
        Manifest manifest = new Manifest(modelName, new Manifest.Serialization(options.sharded() ? "shards" : "files",
                options.shardSize(), options.allowSymlinks(), options.ignore().stream().sorted().toList()), resources);
        return new Result(manifest, new ModelFingerprint(digests, sketches));
    }

    /** A thread's read buffer: direct, so the kernel copies into it once and the CRC reads it in place. */
    private static final class Buffers {
        final ByteBuffer direct = ByteBuffer.allocateDirect(TensorDigests.CHUNK);
    }

    /**
     * Reads one file or shard once: every byte into its SHA-256; every tensor chunk that lies
     * wholly inside it also into that chunk's checksum. Reads stop at tensor-chunk boundaries so
     * that a chunk is always in the buffer whole.
     */
    private static Digest read(Piece p, Map<Tensor, Chunks> chunks, Buffers buffers, LongConsumer progress) throws IOException {
        ByteBuffer buf = buffers.direct;
        List<Tensor> tensors = p.tensors();
        int ti = 0;
        while (ti < tensors.size() && tensors.get(ti).end() <= p.start()) {
            ti++;
        }
        try (FileChannel ch = FileChannel.open(p.file(), StandardOpenOption.READ); Sha256 sha = Sha256.start()) {
            long pos = p.start();
            while (pos < p.end()) {
                while (ti < tensors.size() && tensors.get(ti).end() <= pos) {
                    ti++;
                }
                Tensor t = ti < tensors.size() ? tensors.get(ti) : null;
                long segEnd;
                int chunk = -1;
                if (t != null && pos >= t.offset()) {
                    int k = (int) ((pos - t.offset()) / TensorDigests.CHUNK);
                    long cs = t.offset() + (long) k * TensorDigests.CHUNK;
                    long ce = Math.min(cs + TensorDigests.CHUNK, t.end());
                    segEnd = Math.min(ce, p.end());
                    if (cs >= p.start() && ce <= p.end()) {
                        chunk = k;
                    }
                } else {
                    segEnd = Math.min(p.end(), pos + TensorDigests.CHUNK);
                    if (t != null) {
                        segEnd = Math.min(segEnd, t.offset());
                    }
                }
                int len = (int) (segEnd - pos);
                buf.clear().limit(len);
                long at = pos;
                while (buf.hasRemaining()) {
                    int n = ch.read(buf, at);
                    if (n < 0) {
                        throw new IOException(p.file() + " ended at byte " + at + " while it was read");
                    }
                    at += n;
                }
                buf.flip();
                if (chunk >= 0) {
                    Chunks c = chunks.get(t);
                    TensorDigests.chunkHash(buf, c.hashes, TensorDigests.CHECKSUM * chunk);
                    c.done[chunk] = true;
                }
                sha.update(buf);
                progress.accept(len);
                pos = segEnd;
            }
            return sha.finish();
        }
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
