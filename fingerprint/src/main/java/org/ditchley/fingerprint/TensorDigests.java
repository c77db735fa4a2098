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
import java.util.zip.CRC32C;

/**
 * Per-tensor digests of a safetensors or GGUF file. A tensor's digest is SHA-256 over, in order:
 * the ASCII tag {@code ditchley/tensor/v4}; each of name and dtype as a big-endian u32 length and
 * UTF-8 bytes; the number of dimensions as a u32 and each dimension (outermost first) as a u64;
 * the tensor's length in bytes as a u64; and, for each consecutive {@value #CHUNK}-byte chunk of
 * the tensor's bytes as stored (the last possibly shorter), the chunk's CRC-32C (Castagnoli,
 * RFC 3720 §B.4) as a big-endian u32. It does not depend on where the tensor sits in the file,
 * on the header's order or on metadata, so it survives a file being re-written with the same
 * weights.
 *
 * <p>The bytes go through SHA-256 once, for the model-signing manifest, in the same read
 * ({@link Fingerprinter}); the chunk checksums are what the tensor digest adds, and the JVM
 * computes CRC-32C with the processor's CRC instruction at about 25 GB/s per core, a twentieth
 * of the SHA-256 time. What a checksum of 32 bits per chunk gives: two tensors that differ
 * anywhere in at most three bits, or within any 32 consecutive bits, of a chunk always have
 * different digests (CRC-32C's Hamming distance is 4 at this length, and it detects every burst
 * up to its degree); otherwise each chunk in which they differ matches by chance with
 * probability 2<sup>-32</sup>, so a tensor changed throughout, as fine-tuning changes every
 * matrix, cannot match. The digest is for finding tensors shared among fingerprints that filers
 * compute themselves, who could choose any bytes, not for proving possession of weights: the
 * manifest's SHA-256 does that.
 */
public final class TensorDigests {

    /** A tensor and its digest. */
    public record TensorDigest(Tensor tensor, Digest digest) {
    }

    /** The model file formats read. */
    public enum Format {
        SAFETENSORS, GGUF
    }

    private static final byte[] TAG = "ditchley/tensor/v4".getBytes(StandardCharsets.US_ASCII);
    /** The chunk size of a tensor's bytes for its digest. */
    public static final int CHUNK = 1 << 20;
    /** Bytes of checksum per chunk: its CRC-32C. */
    static final int CHECKSUM = 4;

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
        if (detect(file) == null) {
            throw new MalformedModelException(file.getFileName() + " is neither a safetensors nor a GGUF file");
        }
        try {
            return Fingerprinter.run(file, ModelHasher.Options.files(), n -> { }).fingerprint().tensors();
        } catch (MalformedModelException e) {
            throw e;
        } catch (FingerprintException e) {
            throw new MalformedModelException(e.getMessage(), e);
        }
    }

    /** How many {@value #CHUNK}-byte chunks a tensor of {@code length} bytes has (the last may be short; none if empty). */
    static int chunks(long length) {
        return Math.toIntExact((length + CHUNK - 1) / CHUNK);
    }

    /** The checksum of {@code buf[0, len)}, written as {@value #CHECKSUM} bytes at {@code into[at]}: its CRC-32C, big-endian. */
    static void chunkHash(byte[] buf, int len, byte[] into, int at) {
        chunkHash(ByteBuffer.wrap(buf, 0, len), into, at);
    }

    /** The checksum of the bytes remaining in {@code buf} (left unconsumed), as {@link #chunkHash(byte[], int, byte[], int)}. */
    static void chunkHash(ByteBuffer buf, byte[] into, int at) {
        CRC32C castagnoli = new CRC32C();
        castagnoli.update(buf.duplicate());
        ByteBuffer.wrap(into, at, CHECKSUM).putInt((int) castagnoli.getValue());
    }

    /** A tensor's digest from its chunk hashes. */
    static Digest digest(Tensor t, byte[] chunkHashes) {
        MessageDigest sha = Digest.sha256();
        sha.update(prefix(t));
        sha.update(ByteBuffer.allocate(8).putLong(t.length()).array());
        sha.update(chunkHashes);
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
