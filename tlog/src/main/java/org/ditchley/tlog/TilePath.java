package org.ditchley.tlog;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tile of c2sp.org/tlog-tiles: {@code tile/<L>/<N>[.p/<W>]} for hash tiles and
 * {@code tile/entries/<N>[.p/<W>]} for entry bundles. {@code level} is -1 for entries. Full tiles
 * hold {@value #WIDTH} hashes or entries; a partial tile holds 1 to 255.
 */
public record TilePath(int level, long index, int width) {

    public static final int WIDTH = 256;
    public static final int MAX_LEVEL = 63;

    private static final Pattern PATH = Pattern.compile(
            "tile/(entries|0|[1-9][0-9]?)/((?:x[0-9]{3}/)*[0-9]{3})(?:\\.p/([1-9][0-9]{0,2}))?");

    public TilePath {
        if (level < -1 || level > MAX_LEVEL) {
            throw new IllegalArgumentException("tile level " + level + " is out of range");
        }
        if (index < 0) {
            throw new IllegalArgumentException("tile index " + index + " is negative");
        }
        if (width < 1 || width > WIDTH) {
            throw new IllegalArgumentException("tile width " + width + " is not between 1 and " + WIDTH);
        }
    }

    public boolean entries() {
        return level == -1;
    }

    public boolean partial() {
        return width < WIDTH;
    }

    /** The path, e.g. {@code tile/0/x001/x234/067.p/112}. */
    public String path() {
        return "tile/" + (entries() ? "entries" : String.valueOf(level)) + "/" + encodeIndex(index)
                + (partial() ? ".p/" + width : "");
    }

    /** {@code N} as groups of three digits, every group but the last prefixed with {@code x}: 1234067 → {@code x001/x234/067}. */
    public static String encodeIndex(long n) {
        String digits = Long.toString(n);
        int pad = (3 - digits.length() % 3) % 3;
        digits = "0".repeat(pad) + digits;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < digits.length(); i += 3) {
            if (i + 3 < digits.length()) {
                b.append('x').append(digits, i, i + 3).append('/');
            } else {
                b.append(digits, i, i + 3);
            }
        }
        return b.toString();
    }

    /** Parses a tile path; refuses leading zeros where the spec has none, huge indices and widths outside 1–255. */
    public static TilePath parse(String path) throws MalformedNoteException {
        if (path == null || path.length() > 100) {
            throw new MalformedNoteException("not a tile path");
        }
        Matcher m = PATH.matcher(path);
        if (!m.matches()) {
            throw new MalformedNoteException("not a tile path: " + NoteVerifier.abbreviate(path));
        }
        int level = m.group(1).equals("entries") ? -1 : Integer.parseInt(m.group(1));
        if (level > MAX_LEVEL) {
            throw new MalformedNoteException("tile level " + level + " is above " + MAX_LEVEL);
        }
        String digits = m.group(2).replace("x", "").replace("/", "");
        if (digits.length() > 18) {
            throw new MalformedNoteException("tile index is too large");
        }
        long index = Long.parseLong(digits);
        if (!encodeIndex(index).equals(m.group(2))) {
            throw new MalformedNoteException("tile index " + m.group(2) + " is not in canonical form");
        }
        int width = m.group(3) == null ? WIDTH : Integer.parseInt(m.group(3));
        if (m.group(3) != null && width >= WIDTH) {
            throw new MalformedNoteException("partial tile width " + width + " is not below " + WIDTH);
        }
        return new TilePath(level, index, width);
    }

    /** The tiles at {@code level} of a tree of {@code treeSize} leaves: full ones, then the partial one if any. */
    public static long fullTiles(int level, long treeSize) {
        return (treeSize >> (8 * level)) / WIDTH;
    }

    /** The width of the partial tile at {@code level} of a tree of {@code treeSize}, or 0 when there is none. */
    public static int partialWidth(int level, long treeSize) {
        return (int) ((treeSize >> (8 * level)) % WIDTH);
    }
}
