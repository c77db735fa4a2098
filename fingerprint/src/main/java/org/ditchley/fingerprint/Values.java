package org.ditchley.fingerprint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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

    /** The value at element {@code index} of {@code t}, read from {@code ch}. */
    public static float read(FileChannel ch, Tensor t, long index, ByteBuffer scratch) throws IOException {
        switch (t.dtype()) {
            case "F32":
                return Float.intBitsToFloat(read(ch, t.offset() + 4 * index, 4, scratch).getInt());
            case "F16":
                return half(read(ch, t.offset() + 2 * index, 2, scratch).getShort());
            case "BF16":
                return Float.intBitsToFloat((read(ch, t.offset() + 2 * index, 2, scratch).getShort() & 0xffff) << 16);
            case "Q8_0": {
                long block = index / 32;
                int j = (int) (index % 32);
                ByteBuffer b = read(ch, t.offset() + block * 34, 34, scratch);
                return half(b.getShort(0)) * b.get(2 + j);
            }
            case "Q4_0": {
                long block = index / 32;
                int j = (int) (index % 32);
                ByteBuffer b = read(ch, t.offset() + block * 18, 18, scratch);
                int q = b.get(2 + (j % 16)) & 0xff;
                int nibble = j < 16 ? q & 0x0f : q >>> 4;
                return half(b.getShort(0)) * (nibble - 8);
            }
            default:
                throw new IllegalArgumentException("values of " + t.dtype() + " are not decoded");
        }
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
        return scratch.flip().order(ByteOrder.LITTLE_ENDIAN);
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
