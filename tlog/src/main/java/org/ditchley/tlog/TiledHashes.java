package org.ditchley.tlog;

/**
 * The hashes of a tree of a given size, read from its c2sp.org/tlog-tiles hash tiles: subtree
 * hashes at tree levels {@code 8·L} to {@code 8·L + 7} come from the tiles of level {@code L}.
 * Give the result to {@link StoredHashes} for roots and proofs.
 */
public final class TiledHashes {

    private TiledHashes() {
    }

    /**
     * A reader of the complete subtrees of the tree of {@code size} leaves. Each read asks
     * {@code tiles} for the one tile that holds the subtree, as wide as the tree makes it.
     */
    public static StoredHashes.Reader of(long size, TileReader tiles) {
        if (size < 0) {
            throw new IllegalArgumentException("tree size " + size + " is negative");
        }
        return (level, n) -> {
            if (level < 0 || level > 62 || n < 0 || n > (size >> level) - 1) {
                throw new TlogException("no complete subtree " + n + " at level " + level + " in a tree of size " + size);
            }
            int tileLevel = level / HashTile.HEIGHT;
            int sublevel = level % HashTile.HEIGHT;
            long hashes = size >> (HashTile.HEIGHT * tileLevel);
            long tile = (n << sublevel) / TilePath.WIDTH;
            int width = (int) Math.min(TilePath.WIDTH, hashes - tile * TilePath.WIDTH);
            HashTile t = tiles.read(tileLevel, tile, width);
            if (t.level() != tileLevel || t.index() != tile || t.width() < width) {
                throw new TlogException("asked for tile " + tileLevel + "/" + tile + " of width " + width + ", got "
                        + t.level() + "/" + t.index() + " of width " + t.width());
            }
            return t.hash(sublevel, n);
        };
    }
}
