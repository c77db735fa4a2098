package org.ditchley.fingerprint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * Hashes the pieces (files or shards) of one {@link Fingerprinter} run, a piece per call on the
 * caller's thread: every byte of the piece goes through its SHA-256, every tensor chunk that lies
 * wholly inside it through that chunk's CRC-32C ({@link TensorDigests}), and every sample value
 * whose bytes a read holds whole into its sketch ({@link Sketches.Sampler}).
 *
 * <p>One SHA-256 stream cannot be split. While every core has a piece of its own, a thread reads
 * and hashes its piece by itself, one buffer at a time. Once no piece is left to start and a core
 * is idle (the last pieces of a run, or a model of fewer files than cores), the rest of a piece
 * is read, checksummed and sampled on a reader thread a few buffers ahead, so that the piece's
 * thread only hashes: a single stream then goes at the speed of SHA-256 alone.
 *
 * <p>Memory: {@value #BUFFERS} direct buffers of {@value TensorDigests#CHUNK} bytes per hashing thread.
 */
final class PieceHasher {

    /** A file, or the shard {@code [start, end)} of it, with the tensors of the file in offset order. */
    record Piece(String name, Path file, long start, long end, List<Tensor> tensors) {
    }

    /** The chunk checksums of one tensor, filled in by whichever thread reads each chunk. */
    static final class Chunks {
        final byte[] hashes;
        final boolean[] done;

        Chunks(Tensor tensor) {
            int n = TensorDigests.chunks(tensor.length());
            this.hashes = new byte[TensorDigests.CHECKSUM * n];
            this.done = new boolean[n];
        }
    }

    /** A hashing thread's buffers: one while it reads for itself, all of them when a reader is ahead of it. */
    private static final int BUFFERS = 3;
    /** Passed from a reader to its hasher when the piece has been read, or its reading has failed. */
    private static final ByteBuffer END = ByteBuffer.allocate(0);

    private final Map<Tensor, Chunks> chunks;
    private final Map<Tensor, Sketches.Sampler> samplers;
    private final ExecutorService readers;
    private final LongConsumer progress;
    private final int threads;
    private final AtomicInteger notStarted;
    /** Threads hashing a piece, plus readers ahead of one. */
    private final AtomicInteger busy = new AtomicInteger();
    private final ThreadLocal<ByteBuffer[]> buffers = ThreadLocal.withInitial(PieceHasher::newBuffers);

    /**
     * @param pieces how many pieces the run will pass to {@link #hash}
     * @param threads the cores the run may keep busy
     * @param readers where reader threads come from; shut down by the caller after the run
     * @param progress receives the bytes hashed, from the hashing threads
     */
    PieceHasher(Map<Tensor, Chunks> chunks, Map<Tensor, Sketches.Sampler> samplers, int pieces, int threads,
                ExecutorService readers, LongConsumer progress) {
        this.chunks = chunks;
        this.samplers = samplers;
        this.notStarted = new AtomicInteger(pieces);
        this.threads = threads;
        this.readers = readers;
        this.progress = progress;
    }

    /** The SHA-256 of piece {@code p}, filling in its tensor chunks' checksums and its samples. */
    Digest hash(Piece p) throws IOException, InterruptedException {
        notStarted.decrementAndGet();
        busy.incrementAndGet();
        ByteBuffer[] own = buffers.get();
        try (Sha256 sha = Sha256.start()) {
            long pos = read(p, p.start(), new Handoff() {
                @Override
                public ByteBuffer empty() {
                    return own[0];
                }

                @Override
                public void full(ByteBuffer buf) {
                    int len = buf.remaining();
                    sha.update(buf);
                    progress.accept(len);
                }
            }, this::claimIdleCore);
            if (pos < p.end()) {
                readAhead(p, pos, sha, own);
            }
            return sha.finish();
        } finally {
            busy.decrementAndGet();
        }
    }

    /** Takes an idle core for a reader, if no piece is waiting to start and fewer than {@code threads} are busy. */
    private boolean claimIdleCore() {
        if (notStarted.get() > 0) {
            return false;
        }
        for (int b = busy.get(); b < threads; b = busy.get()) {
            if (busy.compareAndSet(b, b + 1)) {
                return true;
            }
        }
        return false;
    }

    /** Hashes {@code p} from {@code pos} on, read on the core {@link #claimIdleCore} took, which it gives back. */
    private void readAhead(Piece p, long pos, Sha256 sha, ByteBuffer[] own) throws IOException, InterruptedException {
        BlockingQueue<ByteBuffer> empty = new ArrayBlockingQueue<>(BUFFERS, false, List.of(own));
        BlockingQueue<ByteBuffer> full = new ArrayBlockingQueue<>(BUFFERS + 1);
        Future<?> reader;
        try {
            reader = readers.submit(() -> {
                try {
                    read(p, pos, new Handoff() {
                        @Override
                        public ByteBuffer empty() throws InterruptedException {
                            return empty.take();
                        }

                        @Override
                        public void full(ByteBuffer buf) {
                            full.add(buf);
                        }
                    }, () -> false);
                } finally {
                    full.add(END);
                    busy.decrementAndGet();
                }
                return null;
            });
        } catch (RuntimeException e) {
            busy.decrementAndGet();
            throw e;
        }
        boolean read = false;
        try {
            for (ByteBuffer buf = full.take(); buf != END; buf = full.take()) {
                int len = buf.remaining();
                sha.update(buf);
                progress.accept(len);
                empty.add(buf);
            }
            reader.get();
            read = true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("reading " + p.file() + " failed: " + e.getCause(), e.getCause());
        } finally {
            if (!read) {
                // a reader stopped mid-read may still write into these buffers: the thread gets new ones
                reader.cancel(true);
                buffers.remove();
            }
        }
    }

    private static ByteBuffer[] newBuffers() {
        ByteBuffer[] b = new ByteBuffer[BUFFERS];
        for (int i = 0; i < b.length; i++) {
            b[i] = ByteBuffer.allocateDirect(TensorDigests.CHUNK);
        }
        return b;
    }

    /** Where {@link #read} takes each buffer from and passes it on to, filled. */
    private interface Handoff {
        ByteBuffer empty() throws InterruptedException;

        void full(ByteBuffer buf) throws IOException;
    }

    /**
     * Reads {@code p} from {@code pos}, into buffers from {@code handoff} passed back to it in
     * order, checksumming whole tensor chunks and taking samples on the way; reads stop at
     * tensor-chunk boundaries so that a chunk is always in a buffer whole. Returns where it
     * stopped: the piece's end, or the first boundary after which {@code stop} said so.
     */
    private long read(Piece p, long pos, Handoff handoff, BooleanSupplier stop) throws IOException, InterruptedException {
        List<Tensor> tensors = p.tensors();
        int ti = 0;
        try (FileChannel ch = FileChannel.open(p.file(), StandardOpenOption.READ)) {
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
                ByteBuffer buf = handoff.empty();
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
                if (t != null && pos >= t.offset()) {
                    Sketches.Sampler sampler = samplers.get(t);
                    if (sampler != null) {
                        sampler.take(buf, pos);
                    }
                }
                if (chunk >= 0) {
                    Chunks c = chunks.get(t);
                    TensorDigests.chunkHash(buf, c.hashes, TensorDigests.CHECKSUM * chunk);
                    c.done[chunk] = true;
                }
                handoff.full(buf);
                pos = segEnd;
                if (pos < p.end() && stop.getAsBoolean()) {
                    break;
                }
            }
        }
        return pos;
    }
}
