package org.ditchley.fingerprint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-tensor digests of a safetensors or GGUF file. A tensor's digest is SHA-256 over, in order:
 * the ASCII tag {@code ditchley/tensor/v1}, then each of name and dtype as a big-endian u32
 * length and UTF-8 bytes, the number of dimensions as a u32 and each dimension (outermost
 * first) as a u64, and the tensor's bytes as stored. It does not depend on where the tensor sits
 * in the file, on the header's order or on metadata, so it survives a file being re-written
 * with the same weights.
 */
public final class TensorDigests {

    /** A tensor and its digest. */
    public record TensorDigest(Tensor tensor, Digest digest) {
    }

    /** The model file formats read. */
    public enum Format {
        SAFETENSORS, GGUF
    }

    private static final byte[] TAG = "ditchley/tensor/v1".getBytes(StandardCharsets.US_ASCII);
    private static final int CHUNK = 1 << 20;

    private TensorDigests() {
    }

    /** The format of {@code file} by its first bytes: GGUF by its magic, safetensors by its header's opening brace; else null. */
    public static Format detect(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate(9);
            while (head.hasRemaining() && ch.read(head) >= 0) {
                // fill
            }
            byte[] b = head.array();
            if (head.position() >= 4 && b[0] == 'G' && b[1] == 'G' && b[2] == 'U' && b[3] == 'F') {
                return Format.GGUF;
            }
            if (head.position() == 9 && b[8] == '{') {
                return Format.SAFETENSORS;
            }
            return null;
        }
    }

    /** The tensors of {@code file}, read by its format. */
    public static List<Tensor> tensors(Path file) throws IOException, MalformedModelException {
        Format format = detect(file);
        if (format == null) {
            throw new MalformedModelException(file.getFileName() + " is neither a safetensors nor a GGUF file");
        }
        return format == Format.GGUF ? Gguf.read(file).tensors() : Safetensors.read(file).tensors();
    }

    /** Digests every tensor of {@code file}, in file order. */
    public static List<TensorDigest> of(Path file) throws IOException, MalformedModelException {
        return of(file, 1);
    }

    /**
     * Digests every tensor of {@code file}, in file order, on {@code threads} threads (each with
     * one 1 MiB buffer, so memory stays bounded).
     */
    public static List<TensorDigest> of(Path file, int threads) throws IOException, MalformedModelException {
        List<Tensor> tensors = tensors(file);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(
                Math.max(1, Math.min(threads, tensors.size())), r -> {
                    Thread t = new Thread(r, "tensor-digests");
                    t.setDaemon(true);
                    return t;
                });
        ThreadLocal<ByteBuffer> buffers = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(CHUNK));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            List<java.util.concurrent.Future<TensorDigest>> futures = new ArrayList<>();
            for (Tensor t : tensors) {
                futures.add(pool.submit(() -> new TensorDigest(t, digest(ch, file, t, buffers.get()))));
            }
            List<TensorDigest> out = new ArrayList<>(tensors.size());
            for (var f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while digesting " + file, e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof MalformedModelException m) {
                throw m;
            }
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("digesting " + file + " failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static Digest digest(FileChannel ch, Path file, Tensor t, ByteBuffer buf) throws IOException, MalformedModelException {
        MessageDigest sha = Digest.sha256();
        sha.update(prefix(t));
        long at = t.offset();
        long end = t.end();
        while (at < end) {
            buf.clear().limit((int) Math.min(CHUNK, end - at));
            int n = ch.read(buf, at);
            if (n < 0) {
                throw new MalformedModelException(file.getFileName() + " ends inside tensor " + t.name());
            }
            at += n;
            sha.update(buf.flip());
        }
        return Digest.of(sha.digest());
    }

    /** Everything a tensor's digest covers before its bytes. */
    static byte[] prefix(Tensor t) {
        byte[] name = t.name().getBytes(StandardCharsets.UTF_8);
        byte[] dtype = t.dtype().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(TAG.length + 4 + name.length + 4 + dtype.length + 4 + 8 * t.shape().size());
        b.put(TAG).putInt(name.length).put(name).putInt(dtype.length).put(dtype).putInt(t.shape().size());
        t.shape().forEach(b::putLong);
        return b.array();
    }
}
