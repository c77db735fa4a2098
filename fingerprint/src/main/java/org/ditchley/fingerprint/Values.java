package org.ditchley.fingerprint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Decodes single values of a tensor in place, by element index (row-major, outermost dimension
 * first): F32, F16, BF16 and the GGML block formats Q8_0 (a half-precision scale and 32 signed
 * bytes per block) and Q4_0 (a half-precision scale and 32 four-bit values offset by 8, low
 * nibbles first, per block), as ggml-quants.c lays them out.
 */
public final class Values {

    private Values() {
    }

    /** Whether values of this dtype can be decoded. */
    public static boolean decodes(String dtype) {
        return switch (dtype) {
            case "F32", "F16", "BF16", "Q8_0", "Q4_0" -> true;
            default -> false;
        };
    }

    /**
     * Where the bytes that element {@code index} of {@code t} is decoded from begin in the file:
     * the element itself, or for Q8_0 and Q4_0 its block. They run for {@link #unit} bytes.
     */
    static long unitStart(Tensor t, long index) {
        return switch (t.dtype()) {
            case "F32" -> t.offset() + 4 * index;
            case "F16", "BF16" -> t.offset() + 2 * index;
            case "Q8_0" -> t.offset() + 34 * (index / 32);
            case "Q4_0" -> t.offset() + 18 * (index / 32);
            default -> throw new IllegalArgumentException("values of " + t.dtype() + " are not decoded");
        };
    }

    /** How many bytes an element of {@code dtype} is decoded from: the element's, or its block's. */
    static int unit(String dtype) {
        return switch (dtype) {
            case "F32" -> 4;
            case "F16", "BF16" -> 2;
            case "Q8_0" -> 34;
            case "Q4_0" -> 18;
            default -> throw new IllegalArgumentException("values of " + dtype + " are not decoded");
        };
    }

    /** The value at element {@code index} of {@code t}, read from {@code ch}. */
    public static float read(FileChannel ch, Tensor t, long index, ByteBuffer scratch) throws IOException {
        ByteBuffer b = read(ch, unitStart(t, index), unit(t.dtype()), scratch);
        return decode(b, 0, t.dtype(), index);
    }

    /**
     * The value at element {@code index} of a tensor of {@code dtype}, decoded from the
     * {@link #unit} bytes at {@code b[at]} (absolute; the buffer's position and byte order are
     * not used), which hold the bytes {@link #unitStart} names.
     */
    static float decode(ByteBuffer b, int at, String dtype, long index) {
        switch (dtype) {
            case "F32":
                return Float.intBitsToFloat((b.get(at) & 0xff) | (b.get(at + 1) & 0xff) << 8
                        | (b.get(at + 2) & 0xff) << 16 | (b.get(at + 3) & 0xff) << 24);
            case "F16":
                return half(u16(b, at));
            case "BF16":
                return Float.intBitsToFloat((u16(b, at) & 0xffff) << 16);
            case "Q8_0":
                return half(u16(b, at)) * b.get(at + 2 + (int) (index % 32));
            case "Q4_0": {
                int j = (int) (index % 32);
                int q = b.get(at + 2 + (j % 16)) & 0xff;
                int nibble = j < 16 ? q & 0x0f : q >>> 4;
                return half(u16(b, at)) * (nibble - 8);
            }
            default:
                throw new IllegalArgumentException("values of " + dtype + " are not decoded");
        }
    }

    private static short u16(ByteBuffer b, int at) {
        return (short) ((b.get(at) & 0xff) | (b.get(at + 1) & 0xff) << 8);
    }

    private static ByteBuffer read(FileChannel ch, long at, int n, ByteBuffer scratch) throws IOException {
        scratch.clear().limit(n);
        long pos = at;
        while (scratch.hasRemaining()) {
            int r = ch.read(scratch, pos);
            if (r < 0) {
                throw new IOException("file ends at byte " + pos + ", inside a tensor");
            }
            pos += r;
        }
        return scratch.flip();
    }

    /** IEEE 754 binary16 to float, subnormals, infinities and NaN included. */
    public static float half(short bits) {
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float value = mantissa * 0x1p-24f;
            return sign == 0 ? value : -value;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }
}
