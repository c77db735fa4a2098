package org.ditchley.fingerprint;

import java.util.Comparator;

/**
 * Orders relative paths ({@code /}-separated) the way model-signing sorts its resources: by their
 * components in turn, each compared by code points, so that {@code a/b} < {@code a-c} <
 * {@code a.b} (Python's {@code PurePosixPath} ordering), and a shard {@code path:start:end} after
 * the path's earlier shards by start offset.
 */
public final class PathOrder implements Comparator<String> {

    public static final PathOrder INSTANCE = new PathOrder();

    private PathOrder() {
    }

    @Override
    public int compare(String a, String b) {
        String[] x = a.split("/", -1);
        String[] y = b.split("/", -1);
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = codePoints(x[i], y[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }

    private static int codePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
