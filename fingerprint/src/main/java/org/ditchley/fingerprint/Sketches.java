package org.ditchley.fingerprint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Similarity sketches of a model file: for every matrix of at least {@value #MIN_ELEMENTS}
 * values in a format whose values are decoded ({@link Values}), the values at
 * {@value #SAMPLES} positions drawn from a generator seeded by the tensor's shape alone. Two
 * tensors of the same shape are therefore sampled at the same positions, whatever their
 * encoding, and their sketches can be correlated.
 *
 * <p>What it survives: re-encoding and re-ordering of the file, conversion between F32, F16,
 * BF16, Q8_0 and Q4_0, and small changes to every value (fine-tuning, merging low-rank
 * adapters, quantization noise). What it does not: permuting hidden units or attention heads
 * (llama.cpp's conversion permutes the rows of query and key projections, so those two
 * matrices disagree while the rest agree), transposing or reshaping a matrix, other quantized
 * formats (K-quants, I-quants), and renaming beyond the {@link TensorNames} it knows. 1-D
 * tensors (norms, biases) are no evidence and are not sketched. A sampled value that is not
 * finite (an overflowed or NaN weight) is sketched as 0, in every encoding alike.
 */
public final class Sketches {

    public static final int SAMPLES = 1024;
    public static final long MIN_ELEMENTS = 4096;

    private Sketches() {
    }

    /** Sketches of the tensors of {@code file} that qualify, in the order given. */
    public static List<TensorSketch> of(Path file, List<Tensor> tensors) throws IOException {
        List<TensorSketch> out = new ArrayList<>();
        ByteBuffer scratch = ByteBuffer.allocate(64);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (Tensor t : tensors) {
                if (!qualifies(t)) {
                    continue;
                }
                long[] at = positions(t.shape());
                float[] values = new float[at.length];
                for (int i = 0; i < at.length; i++) {
                    float v = Values.read(ch, t, at[i], scratch);
                    values[i] = Float.isFinite(v) ? v : 0f;
                }
                out.add(new TensorSketch(t.name(), t.shape(), t.dtype(), values));
            }
        }
        return out;
    }

    static boolean qualifies(Tensor t) {
        try {
            return t.shape().size() >= 2 && t.elements() >= MIN_ELEMENTS && Values.decodes(t.dtype());
        } catch (ArithmeticException e) {
            return false;
        }
    }

    /** The sample positions for a tensor of {@code shape}: the same for every tensor of that shape, in increasing order. */
    static long[] positions(List<Long> shape) {
        MessageDigest sha = Digest.sha256();
        sha.update("ditchley/sketch/v1".getBytes(StandardCharsets.US_ASCII));
        long elements = 1;
        for (long d : shape) {
            sha.update(ByteBuffer.allocate(8).putLong(d).array());
            elements = Math.multiplyExact(elements, d);
        }
        SplittableRandom random = new SplittableRandom(ByteBuffer.wrap(sha.digest()).getLong());
        long[] at = new long[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            at[i] = random.nextLong(elements);
        }
        Arrays.sort(at);
        return at;
    }
}
