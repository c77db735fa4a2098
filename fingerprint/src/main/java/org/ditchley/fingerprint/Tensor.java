package org.ditchley.fingerprint;

import java.util.List;
import java.util.Objects;

/**
 * A tensor of a model file: its name, its data type as the file format names it ({@code F16},
 * {@code BF16}, {@code Q8_0}, …), its shape outermost dimension first (GGUF's innermost-first
 * dimensions are reversed), and where its bytes are in the file.
 */
public record Tensor(String name, String dtype, List<Long> shape, long offset, long length) {

    /** The longest tensor name, in characters, that a fingerprint carries. */
    public static final int MAX_NAME = 1_024;

    public Tensor {
        Objects.requireNonNull(name, "name");
        if (!nameFits(name)) {
            throw new IllegalArgumentException("a tensor name must have 1 to " + MAX_NAME + " characters, not " + name.length());
        }
        Objects.requireNonNull(dtype, "dtype");
        shape = List.copyOf(shape);
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("tensor " + name + " has a negative offset or length");
        }
    }

    /** Whether {@code name} is a tensor name a fingerprint can carry: 1 to {@value #MAX_NAME} characters. */
    public static boolean nameFits(String name) {
        return !name.isEmpty() && name.length() <= MAX_NAME;
    }

    /** How many values the tensor holds. */
    public long elements() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** The byte just after the tensor's data. */
    public long end() {
        return offset + length;
    }
}
