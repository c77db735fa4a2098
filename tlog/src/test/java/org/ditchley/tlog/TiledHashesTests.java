package org.ditchley.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A tree appended through {@link TileAppender} and stored only as its c2sp.org/tlog-tiles hash
 * tiles gives the same roots and proofs as the reference tree, at every size, whether appended in
 * one go or resumed from storage.
 */
class TiledHashesTests {

    /** Tiles as a log stores them: one row per tile, replaced only by a wider version. */
    static final class Store implements TileReader {
        final Map<String, HashTile> tiles = new HashMap<>();

        void put(HashTile t) {
            HashTile old = tiles.get(t.level() + "/" + t.index());
            if (old != null) {
                assertThat(t.prefix(old.width())).as("a tile only grows").isEqualTo(old.data());
            }
            if (old == null || old.width() < t.width()) {
                tiles.put(t.level() + "/" + t.index(), t);
            }
        }

        @Override
        public HashTile read(int level, long index, int width) throws TlogException {
            HashTile t = tiles.get(level + "/" + index);
            if (t == null || t.width() < width) {
                throw new TlogException("no tile " + level + "/" + index + " of width " + width);
            }
            return t;
        }
    }

    static Hash leaf(long n) {
        return Rfc6962.leafHash(("entry " + n).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void rootsAndProofsOfEverySizeMatchTheReference() throws TlogException {
        int total = 600;
        MerkleTree reference = MerkleTreeTests.tree(total);
        Store store = new Store();
        TileAppender edge = TileAppender.empty();
        Random batches = new Random(1);
        List<Long> sizes = new ArrayList<>();
        while (edge.size() < total) {
            int batch = 1 + batches.nextInt(40);
            for (int i = 0; i < batch && edge.size() < total; i++) {
                edge.append(reference.leafHash(edge.size()));
            }
            edge.drain().forEach(store::put);
            assertThat(edge.root()).as("root at %d", edge.size()).isEqualTo(reference.root(edge.size()));
            sizes.add(edge.size());
        }
        for (long size = 1; size <= total; size++) {
            assertThat(StoredHashes.treeHash(size, TiledHashes.of(size, store))).as("size %d", size).isEqualTo(reference.root(size));
        }
        for (long size = 1; size <= total; size += 13) {
            for (long index = 0; index < size; index += 7) {
                assertThat(StoredHashes.inclusionProof(index, size, TiledHashes.of(size, store)))
                        .isEqualTo(reference.inclusionProof(index, size));
            }
            for (long size1 = 1; size1 <= size; size1 += 11) {
                assertThat(StoredHashes.consistencyProof(size1, size, TiledHashes.of(size, store)))
                        .isEqualTo(reference.consistencyProof(size1, size));
            }
        }
    }

    @Test
    void resumingTheLargestTreeReadsOneTileAtEachOfItsEightLevels() throws TlogException {
        java.util.List<Integer> levels = new java.util.ArrayList<>();
        TileAppender edge = TileAppender.resume(Long.MAX_VALUE, (level, index, width) -> {
            levels.add(level);
            return new HashTile(level, index, new byte[width * Hash.SIZE]);
        });
        assertThat(edge.size()).isEqualTo(Long.MAX_VALUE);
        assertThat(levels).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
    }

    @Test
    void aResumedAppenderWritesTheSameTilesAsOneThatNeverStopped() throws TlogException {
        Store straight = new Store();
        TileAppender one = TileAppender.empty();
        for (long n = 0; n < 70_000; n++) {
            one.append(leaf(n));
        }
        one.drain().forEach(straight::put);

        Store resumed = new Store();
        TileAppender edge = TileAppender.empty();
        for (long n = 0; n < 70_000; n++) {
            if (n % 9_973 == 0) {
                edge.drain().forEach(resumed::put);
                edge = TileAppender.resume(n, resumed);
            }
            edge.append(leaf(n));
        }
        edge.drain().forEach(resumed::put);

        assertThat(resumed.tiles.keySet()).isEqualTo(straight.tiles.keySet());
        straight.tiles.forEach((k, t) -> assertThat(resumed.tiles.get(k).data()).as(k).isEqualTo(t.data()));
        // 70,000 leaves: 273 full level-0 tiles and one of width 112; one level-1 tile of width 273 - 256 = 17, after tile 1/000
        assertThat(straight.tiles.values().stream().filter(t -> t.level() == 0 && t.full()).count()).isEqualTo(273);
        assertThat(straight.tiles.get("0/273").width()).isEqualTo(112);
        assertThat(straight.tiles.get("1/1").width()).isEqualTo(17);
        assertThat(straight.tiles.get("2/0").width()).isEqualTo(1);
        assertThat(edge.root()).isEqualTo(one.root());
    }

    @Test
    void tilesAgreeWithTheStoredHashLayout() throws TlogException {
        List<Hash> stored = new ArrayList<>();
        StoredHashes.Reader flat = (level, n) -> stored.get((int) StoredHashes.index(level, n));
        Store store = new Store();
        TileAppender edge = TileAppender.empty();
        for (long n = 0; n < 70_000; n++) {
            stored.addAll(StoredHashes.append(n, leaf(n), flat));
            edge.append(leaf(n));
        }
        edge.drain().forEach(store::put);
        assertThat(edge.root()).isEqualTo(StoredHashes.treeHash(70_000, flat));
        StoredHashes.Reader tiled = TiledHashes.of(70_000, store);
        for (long index : new long[] {0, 255, 256, 65_535, 65_536, 69_999}) {
            assertThat(StoredHashes.inclusionProof(index, 70_000, tiled)).isEqualTo(StoredHashes.inclusionProof(index, 70_000, flat));
        }
        assertThat(StoredHashes.consistencyProof(65_537, 70_000, tiled)).isEqualTo(StoredHashes.consistencyProof(65_537, 70_000, flat));
        // the single hash of tile 1/000's first position is the root of the first 256 leaves
        assertThat(Hash.of(store.read(1, 0, 1).prefix(1))).isEqualTo(StoredHashes.treeHash(256, flat));
    }

    @Test
    void readsOutsideTheTreeOrTheTileAreRefused() throws TlogException {
        Store store = new Store();
        TileAppender edge = TileAppender.empty();
        for (long n = 0; n < 300; n++) {
            edge.append(leaf(n));
        }
        edge.drain().forEach(store::put);
        StoredHashes.Reader tiled = TiledHashes.of(300, store);
        assertThatThrownBy(() -> tiled.read(0, 300)).isInstanceOf(TlogException.class).hasMessageContaining("size 300");
        assertThatThrownBy(() -> tiled.read(9, 0)).isInstanceOf(TlogException.class);
        assertThatThrownBy(() -> tiled.read(0, -1)).isInstanceOf(TlogException.class);
        assertThatThrownBy(() -> tiled.read(63, 0)).isInstanceOf(TlogException.class);
        assertThatThrownBy(() -> TiledHashes.of(301, store).read(0, 300)).isInstanceOf(TlogException.class)
                .hasMessageContaining("width 45");
        HashTile partial = store.read(0, 1, 44);
        assertThatThrownBy(() -> partial.hash(0, 300)).isInstanceOf(TlogException.class).hasMessageContaining("width 44");
        assertThatThrownBy(() -> partial.hash(0, 255)).isInstanceOf(TlogException.class);
        assertThatThrownBy(partial::root).isInstanceOf(TlogException.class).hasMessageContaining("not 256");
        assertThatThrownBy(() -> new HashTile(0, 0, new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HashTile(0, 0, new byte[33])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HashTile(0, 0, new byte[257 * 32])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HashTile(0, -1, new byte[32])).isInstanceOf(IllegalArgumentException.class);
    }
}
