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

    /** Sketches of the tensors of {@code file} that qualify, in the order given, each value read on its own. */
    public static List<TensorSketch> of(Path file, List<Tensor> tensors) throws IOException {
        List<TensorSketch> out = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (Tensor t : tensors) {
                if (qualifies(t)) {
                    out.add(new Sampler(t).finish(ch));
                }
            }
        }
        return out;
    }

    /**
     * The sketch of one tensor while its file is read for other reasons: {@link #take} keeps the
     * sample values whose bytes a buffer holds whole, and {@link #finish} reads the rest on
     * their own (a value whose bytes a read cut in two, or one never passed to {@code take}).
     * Buffers holding disjoint ranges of the file may be passed from different threads, as
     * long as {@code finish} comes after them all (after {@code Future.get}, say).
     */
    static final class Sampler {
        private final Tensor tensor;
        private final long[] at;
        private final float[] values;
        private final boolean[] taken;
        private final int unit;

        /** @throws IllegalArgumentException unless {@code t} {@link #qualifies} */
        Sampler(Tensor t) {
            this(t, positions(t.shape()));
        }

        /**
         * A sampler of {@code t} at {@code positions}, which must be {@link #positions} of its
         * shape; tensors of one shape may share the array, which is only read.
         *
         * @throws IllegalArgumentException unless {@code t} {@link #qualifies}
         */
        Sampler(Tensor t, long[] positions) {
            if (!qualifies(t)) {
                throw new IllegalArgumentException("tensor " + t.name() + " is not sketched");
            }
            if (positions.length != SAMPLES) {
                throw new IllegalArgumentException(positions.length + " sample positions, not " + SAMPLES);
            }
            this.tensor = t;
            this.at = positions;
            this.values = new float[at.length];
            this.taken = new boolean[at.length];
            this.unit = Values.unit(t.dtype());
        }

        /** Keeps every sample whose bytes lie wholly in {@code buf}'s remaining bytes, which are the file's from {@code fileOffset}. */
        void take(ByteBuffer buf, long fileOffset) {
            long end = fileOffset + buf.remaining();
            if (end <= tensor.offset() || fileOffset >= tensor.end()) {
                return;
            }
            int lo = 0;
            int hi = at.length;
            while (lo < hi) { // the first sample whose bytes start at or after fileOffset
                int mid = (lo + hi) >>> 1;
                if (Values.unitStart(tensor, at[mid]) < fileOffset) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            for (int i = lo; i < at.length; i++) {
                long start = Values.unitStart(tensor, at[i]);
                if (start + unit > end) {
                    break;
                }
                values[i] = Values.decode(buf, buf.position() + (int) (start - fileOffset), tensor.dtype(), at[i]);
                taken[i] = true;
            }
        }

        /** The sketch, reading from {@code ch} the samples not taken; a value that is not finite counts as 0. */
        TensorSketch finish(FileChannel ch) throws IOException {
            ByteBuffer scratch = ByteBuffer.allocate(64);
            float[] out = new float[at.length];
            for (int i = 0; i < at.length; i++) {
                float v = taken[i] ? values[i] : Values.read(ch, tensor, at[i], scratch);
                out[i] = Float.isFinite(v) ? v : 0f;
            }
            return new TensorSketch(tensor.name(), tensor.shape(), tensor.dtype(), out);
        }
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
