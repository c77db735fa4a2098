package org.ditchley.fingerprint;

import java.util.Map;

/**
 * The tensor types of GGML as GGUF stores them: type id, name, values per block and bytes per
 * block (ggml.h {@code ggml_type} and ggml.c {@code type_traits}). Ids that GGML has retired
 * are unknown.
 */
public record GgmlType(int id, String name, int blockSize, int typeSize) {

    private static final Map<Integer, GgmlType> BY_ID = Map.ofEntries(
            t(0, "F32", 1, 4), t(1, "F16", 1, 2), t(2, "Q4_0", 32, 18), t(3, "Q4_1", 32, 20),
            t(6, "Q5_0", 32, 22), t(7, "Q5_1", 32, 24), t(8, "Q8_0", 32, 34), t(9, "Q8_1", 32, 36),
            t(10, "Q2_K", 256, 84), t(11, "Q3_K", 256, 110), t(12, "Q4_K", 256, 144), t(13, "Q5_K", 256, 176),
            t(14, "Q6_K", 256, 210), t(15, "Q8_K", 256, 292), t(16, "IQ2_XXS", 256, 66), t(17, "IQ2_XS", 256, 74),
            t(18, "IQ3_XXS", 256, 98), t(19, "IQ1_S", 256, 50), t(20, "IQ4_NL", 32, 18), t(21, "IQ3_S", 256, 110),
            t(22, "IQ2_S", 256, 82), t(23, "IQ4_XS", 256, 136), t(24, "I8", 1, 1), t(25, "I16", 1, 2),
            t(26, "I32", 1, 4), t(27, "I64", 1, 8), t(28, "F64", 1, 8), t(29, "IQ1_M", 256, 56),
            t(30, "BF16", 1, 2), t(34, "TQ1_0", 256, 54), t(35, "TQ2_0", 256, 66), t(39, "MXFP4", 32, 17));

    private static Map.Entry<Integer, GgmlType> t(int id, String name, int block, int size) {
        return Map.entry(id, new GgmlType(id, name, block, size));
    }

    /** The type with this id, or null. */
    public static GgmlType of(int id) {
        return BY_ID.get(id);
    }

    /**
     * The bytes a row-major tensor of this type takes, given its dimensions innermost first.
     *
     * @throws ArithmeticException on overflow
     * @throws IllegalArgumentException when the innermost dimension is not a whole number of blocks
     */
    public long bytes(long[] innermostFirst) {
        if (innermostFirst.length == 0) {
            return typeSize;
        }
        if (innermostFirst[0] % blockSize != 0) {
            throw new IllegalArgumentException("a row of " + innermostFirst[0] + " values is not whole " + name + " blocks of " + blockSize);
        }
        long bytes = Math.multiplyExact(innermostFirst[0] / blockSize, (long) typeSize);
        for (int i = 1; i < innermostFirst.length; i++) {
            bytes = Math.multiplyExact(bytes, innermostFirst[i]);
        }
        return bytes;
    }
}
