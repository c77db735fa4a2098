package org.ditchley.fingerprint;

import java.util.List;
import java.util.Objects;

/** The values of one large tensor at the sample positions its shape determines (see {@link Sketches}). */
public record TensorSketch(String name, List<Long> shape, String dtype, float[] values) {

    public TensorSketch {
        Objects.requireNonNull(name, "name");
        shape = List.copyOf(shape);
        Objects.requireNonNull(dtype, "dtype");
        values = values.clone();
    }

    @Override
    public float[] values() {
        return values.clone();
    }

    /** Pearson correlation of this sketch's values with {@code other}'s; both must have the same shape. */
    public double correlation(TensorSketch other) {
        if (!shape.equals(other.shape) || values.length != other.values.length) {
            throw new IllegalArgumentException("sketches of shapes " + shape + " and " + other.shape + " are not comparable");
        }
        int n = values.length;
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < n; i++) {
            ma += values[i];
            mb += other.values[i];
        }
        ma /= n;
        mb /= n;
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < n; i++) {
            double a = values[i] - ma;
            double b = other.values[i] - mb;
            ab += a * b;
            aa += a * a;
            bb += b * b;
        }
        if (aa == 0 || bb == 0) {
            return java.util.Arrays.equals(values, other.values) ? 1 : 0;
        }
        return ab / Math.sqrt(aa * bb);
    }
}
