package org.ditchley.tlog;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The right edge of a tiled tree: the rightmost tile of every level, which is all a log needs in
 * memory to append leaves and compute its root. Appending changes only those tiles (and completes
 * some); {@link #drain()} returns each changed tile once, at its new width, for the log to store
 * together with the entries.
 *
 * <p>Not thread-safe: a log has one sequencer.
 */
public final class TileAppender {

    private final List<ByteArrayOutputStream> rows = new ArrayList<>();
    private final Map<Long, HashTile> changed = new LinkedHashMap<>();
    private final List<Boolean> touched = new ArrayList<>();
    private long size;

    private TileAppender(long size) {
        this.size = size;
    }

    /** An appender for the empty tree. */
    public static TileAppender empty() {
        return new TileAppender(0);
    }

    /** An appender that continues the tree of {@code size} leaves whose tiles {@code tiles} reads. */
    public static TileAppender resume(long size, TileReader tiles) throws TlogException {
        if (size < 0) {
            throw new IllegalArgumentException("tree size " + size + " is negative");
        }
        TileAppender edge = new TileAppender(size);
        // at most 64 / HEIGHT levels: beyond that the shift count would wrap around
        for (int level = 0; level < Long.SIZE / HashTile.HEIGHT && (size >> (HashTile.HEIGHT * level)) > 0; level++) {
            edge.row(level);
            int width = TilePath.partialWidth(level, size);
            if (width > 0) {
                long index = TilePath.fullTiles(level, size);
                HashTile tile = tiles.read(level, index, width);
                edge.rows.get(level).writeBytes(tile.prefix(width));
            }
        }
        return edge;
    }

    public long size() {
        return size;
    }

    /** Appends the leaf with hash {@code leafHash} as number {@link #size()}. */
    public void append(Hash leafHash) throws TlogException {
        add(0, leafHash.bytes());
        size++;
    }

    private void add(int level, byte[] hash) throws TlogException {
        ByteArrayOutputStream row = row(level);
        row.writeBytes(hash);
        touched.set(level, true);
        if (row.size() == TilePath.WIDTH * Hash.SIZE) {
            long index = TilePath.fullTiles(level, size + 1) - 1;
            HashTile full = new HashTile(level, index, row.toByteArray());
            changed.put(key(level, index), full);
            row.reset();
            add(level + 1, full.root().bytes());
        }
    }

    private ByteArrayOutputStream row(int level) {
        while (rows.size() <= level) {
            rows.add(new ByteArrayOutputStream(TilePath.WIDTH * Hash.SIZE));
            touched.add(false);
        }
        return rows.get(level);
    }

    private static long key(int level, long index) {
        return ((long) level << 56) | index;
    }

    /** The tile at {@code level}, {@code index} as the current tree has it, if it is on the right edge or was completed since the last drain. */
    public HashTile edgeTile(int level, long index) {
        HashTile done = changed.get(key(level, index));
        if (done != null) {
            return done;
        }
        if (level < rows.size() && rows.get(level).size() > 0 && index == TilePath.fullTiles(level, size)) {
            return new HashTile(level, index, rows.get(level).toByteArray());
        }
        return null;
    }

    /** MTH of the current tree, read from the right edge alone. */
    public Hash root() throws TlogException {
        return StoredHashes.treeHash(size, TiledHashes.of(size, (level, index, width) -> {
            HashTile t = edgeTile(level, index);
            if (t == null) {
                throw new TlogException("tile " + level + "/" + index + " is not on the right edge");
            }
            return t;
        }));
    }

    /**
     * The tiles changed since the last drain: those completed, then the partial tile of each level
     * that grew. Clears the record of changes.
     */
    public List<HashTile> drain() {
        List<HashTile> out = new ArrayList<>(changed.values());
        for (int level = 0; level < rows.size(); level++) {
            if (touched.get(level) && rows.get(level).size() > 0) {
                out.add(new HashTile(level, TilePath.fullTiles(level, size), rows.get(level).toByteArray()));
            }
            touched.set(level, false);
        }
        changed.clear();
        return out;
    }
}
