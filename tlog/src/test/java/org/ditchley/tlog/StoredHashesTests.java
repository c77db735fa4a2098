package org.ditchley.tlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Roots and proofs read from stored hashes agree with the in-memory reference tree for every size. */
class StoredHashesTests {

    static final int SIZE = 300;

    final MerkleTree reference = MerkleTreeTests.tree(SIZE);
    final List<Hash> stored = new ArrayList<>();

    StoredHashes.Reader reader() {
        return (level, n) -> stored.get((int) StoredHashes.index(level, n));
    }

    void build() throws TlogException {
        for (int n = 0; n < SIZE; n++) {
            assertThat((long) stored.size()).isEqualTo(StoredHashes.count(n));
            stored.addAll(StoredHashes.append(n, Rfc6962.leafHash(("entry " + n).getBytes(StandardCharsets.UTF_8)), reader()));
        }
    }

    @Test
    void rootsOfEverySizeMatchTheReference() throws TlogException {
        build();
        assertThat(StoredHashes.treeHash(0, reader())).isEqualTo(Rfc6962.emptyRoot());
        for (int size = 1; size <= SIZE; size++) {
            assertThat(StoredHashes.treeHash(size, reader())).as("size %d", size).isEqualTo(reference.root(size));
        }
    }

    @Test
    void proofsMatchTheReference() throws TlogException {
        build();
        for (int size = 1; size <= SIZE; size += 7) {
            for (int index = 0; index < size; index += 5) {
                assertThat(StoredHashes.inclusionProof(index, size, reader())).isEqualTo(reference.inclusionProof(index, size));
            }
            for (int size1 = 1; size1 <= size; size1 += 3) {
                assertThat(StoredHashes.consistencyProof(size1, size, reader())).isEqualTo(reference.consistencyProof(size1, size));
            }
        }
    }

    @Test
    void levelZeroHashesOfATileAreTheLeafHashes() throws TlogException {
        build();
        for (int n = 0; n < SIZE; n++) {
            assertThat(stored.get((int) StoredHashes.index(0, n)))
                    .isEqualTo(Rfc6962.leafHash(("entry " + n).getBytes(StandardCharsets.UTF_8)));
        }
        // the hash at level 8, index 0 is the root of the first 256 leaves: the single hash of tile 1/000
        assertThat(stored.get((int) StoredHashes.index(8, 0))).isEqualTo(reference.root(256));
    }
}
