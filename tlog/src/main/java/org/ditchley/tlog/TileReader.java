package org.ditchley.tlog;

/** Reads hash tiles from wherever a log keeps them (a database, files, a cache, another log's tiles). */
@FunctionalInterface
public interface TileReader {

    /**
     * The hash tile at {@code level}, {@code index} holding at least {@code width} hashes.
     *
     * @throws TlogException when the tile is missing or narrower than {@code width}
     */
    HashTile read(int level, long index, int width) throws TlogException;
}
