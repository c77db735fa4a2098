package org.ditchley.ledger.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.ditchley.tlog.HashTile;
import org.ditchley.tlog.TileReader;
import org.ditchley.tlog.TlogException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Hash tiles read from PostgreSQL and kept in memory with every tree level inside them already
 * hashed, so that a proof costs a few map lookups. A stored tile only ever grows, so a cached
 * tile at least as wide as asked for is always right; a narrower one is read again.
 */
@Component
class TileCache implements TileReader {

    private final LedgerStore store;
    private final Cache<Long, HashTile> tiles;

    TileCache(LedgerStore store, @Value("${ditchley.ledger.cached-tiles:4096}") long capacity) {
        this.store = store;
        this.tiles = Caffeine.newBuilder().maximumSize(capacity).build();
    }

    @Override
    public HashTile read(int level, long index, int width) throws TlogException {
        long key = ((long) level << 56) | index;
        HashTile cached = tiles.getIfPresent(key);
        if (cached != null && cached.width() >= width) {
            return cached;
        }
        byte[] data = store.tile(level, index).orElseThrow(() -> new TlogException("no stored tile " + level + "/" + index));
        HashTile tile = new HashTile(level, index, data);
        if (tile.width() < width) {
            throw new TlogException("stored tile " + level + "/" + index + " has width " + tile.width() + ", not " + width);
        }
        tiles.asMap().merge(key, tile, (old, now) -> old.width() >= now.width() ? old : now);
        return tile;
    }

    /** Tiles the sequencer has just committed: already hashed, so readers need not load them. */
    void offer(Iterable<HashTile> committed) {
        for (HashTile t : committed) {
            tiles.asMap().merge(((long) t.level() << 56) | t.index(), t, (old, now) -> old.width() >= now.width() ? old : now);
        }
    }
}
