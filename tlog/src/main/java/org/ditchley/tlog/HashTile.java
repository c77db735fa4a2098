package org.ditchley.tlog;

import java.util.Arrays;

/**
 * A hash tile of c2sp.org/tlog-tiles: {@code width} consecutive hashes of tree level {@code 8·level},
 * starting at hash {@code 256·index}, with the seven tree levels above them computed once on
 * construction so that any complete subtree inside the tile is read without hashing.
 *
 * <p>A tile of width {@code W} is a prefix of every wider version of the same tile: a log only
 * ever appends, so {@code tile/L/N.p/W} is the first {@code 32·W} bytes of {@code tile/L/N}.
 */
public final class HashTile {

    /** Tree levels covered by one tile (c2sp.org/tlog-tiles uses height 8). */
    public static final int HEIGHT = 8;

    private final int level;
    private final long index;
    private final byte[][] rows;

    /**
     * @param data {@code 32·W} bytes, {@code 1 <= W <= 256}
     * @throws IllegalArgumentException when the data is not a whole number of hashes in range
     */
    public HashTile(int level, long index, byte[] data) {
        if (level < 0 || level >= TilePath.MAX_LEVEL / HEIGHT + 1) {
            throw new IllegalArgumentException("tile level " + level + " is out of range");
        }
        if (index < 0) {
            throw new IllegalArgumentException("tile index " + index + " is negative");
        }
        if (data.length == 0 || data.length % Hash.SIZE != 0 || data.length > TilePath.WIDTH * Hash.SIZE) {
            throw new IllegalArgumentException("tile data of " + data.length + " bytes is not 1 to 256 hashes");
        }
        this.level = level;
        this.index = index;
        this.rows = new byte[HEIGHT + 1][];
        rows[0] = data.clone();
        for (int s = 1; s <= HEIGHT; s++) {
            byte[] below = rows[s - 1];
            int width = below.length / Hash.SIZE / 2;
            byte[] row = new byte[width * Hash.SIZE];
            for (int i = 0; i < width; i++) {
                System.arraycopy(Rfc6962.nodeHash(below, 2 * i * Hash.SIZE, below, (2 * i + 1) * Hash.SIZE), 0, row, i * Hash.SIZE, Hash.SIZE);
            }
            rows[s] = row;
        }
    }

    public int level() {
        return level;
    }

    public long index() {
        return index;
    }

    /** How many hashes of level {@code 8·level} the tile holds. */
    public int width() {
        return rows[0].length / Hash.SIZE;
    }

    public boolean full() {
        return width() == TilePath.WIDTH;
    }

    /** The tile's bytes: its hashes of level {@code 8·level}, concatenated. */
    public byte[] data() {
        return rows[0].clone();
    }

    /** The first {@code width} hashes, as served for {@code tile/L/N.p/width}. */
    public byte[] prefix(int width) {
        if (width < 1 || width > width()) {
            throw new IllegalArgumentException("width " + width + " is not between 1 and " + width());
        }
        return Arrays.copyOf(rows[0], width * Hash.SIZE);
    }

    /**
     * The hash of the complete subtree at tree level {@code 8·level + sublevel}, number {@code n}
     * in the whole tree.
     *
     * @throws TlogException when that subtree is not complete inside this tile
     */
    public Hash hash(int sublevel, long n) throws TlogException {
        if (sublevel < 0 || sublevel > HEIGHT) {
            throw new TlogException("sublevel " + sublevel + " is not in a tile");
        }
        long first = (index * TilePath.WIDTH) >> sublevel;
        byte[] row = rows[sublevel];
        if (n < first || n - first >= row.length / Hash.SIZE) {
            throw new TlogException("hash " + n + " of level " + (HEIGHT * level + sublevel) + " is not in tile "
                    + level + "/" + index + " of width " + width());
        }
        int at = (int) (n - first) * Hash.SIZE;
        return Hash.of(Arrays.copyOfRange(row, at, at + Hash.SIZE));
    }

    /** The hash of the whole tile, i.e. of the subtree at level {@code 8·(level+1)}; only for a full tile. */
    public Hash root() throws TlogException {
        if (!full()) {
            throw new TlogException("tile " + level + "/" + index + " has width " + width() + ", not 256");
        }
        return hash(HEIGHT, index);
    }
}
