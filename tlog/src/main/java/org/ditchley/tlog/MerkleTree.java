package org.ditchley.tlog;

import java.util.ArrayList;
import java.util.List;

/**
 * An RFC 9162 Merkle tree over leaf hashes held in memory, computing roots (§2.1.1) and
 * generating inclusion (§2.1.3.1) and consistency (§2.1.4.1) proofs for any earlier size. The
 * reference implementation against which stored-tile proofs are checked; it recomputes subtree
 * hashes on demand, so it suits trees of up to some millions of leaves.
 */
public final class MerkleTree {

    private final List<Hash> leaves = new ArrayList<>();

    public void append(Hash leafHash) {
        leaves.add(leafHash);
    }

    public void appendEntry(byte[] entry) {
        append(Rfc6962.leafHash(entry));
    }

    public Hash leafHash(long index) {
        return leaves.get(Math.toIntExact(index));
    }

    public long size() {
        return leaves.size();
    }

    /** MTH(D[0:size]). */
    public Hash root(long size) {
        checkSize(size);
        return size == 0 ? Rfc6962.emptyRoot() : hash(0, (int) size);
    }

    /** PATH(index, D[0:size]): the audit path of the leaf at {@code index} in the tree of {@code size}. */
    public List<Hash> inclusionProof(long index, long size) {
        checkSize(size);
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("index " + index + " is not below tree size " + size);
        }
        List<Hash> proof = new ArrayList<>();
        path((int) index, 0, (int) size, proof);
        return proof;
    }

    /** PROOF(size1, D[0:size2]), for {@code 0 < size1 <= size2}. */
    public List<Hash> consistencyProof(long size1, long size2) {
        checkSize(size2);
        if (size1 <= 0 || size1 > size2) {
            throw new IllegalArgumentException("need 0 < size1 <= size2, got " + size1 + " and " + size2);
        }
        List<Hash> proof = new ArrayList<>();
        subproof((int) size1, 0, (int) size2, true, proof);
        return proof;
    }

    private void path(int m, int start, int end, List<Hash> proof) {
        int n = end - start;
        if (n == 1) {
            return;
        }
        int k = largestPowerOfTwoBelow(n);
        if (m < k) {
            path(m, start, start + k, proof);
            proof.add(hash(start + k, end));
        } else {
            path(m - k, start + k, end, proof);
            proof.add(hash(start, start + k));
        }
    }

    private void subproof(int m, int start, int end, boolean whole, List<Hash> proof) {
        int n = end - start;
        if (m == n) {
            if (!whole) {
                proof.add(hash(start, end));
            }
            return;
        }
        int k = largestPowerOfTwoBelow(n);
        if (m <= k) {
            subproof(m, start, start + k, whole, proof);
            proof.add(hash(start + k, end));
        } else {
            subproof(m - k, start + k, end, false, proof);
            proof.add(hash(start, start + k));
        }
    }

    /** MTH of leaves [start, end), {@code end > start}. */
    private Hash hash(int start, int end) {
        if (end - start == 1) {
            return leaves.get(start);
        }
        int k = largestPowerOfTwoBelow(end - start);
        return Rfc6962.nodeHash(hash(start, start + k), hash(start + k, end));
    }

    /** The largest power of two strictly less than {@code n}, for {@code n > 1}. */
    static int largestPowerOfTwoBelow(int n) {
        return Integer.highestOneBit(n - 1);
    }

    private void checkSize(long size) {
        if (size < 0 || size > leaves.size()) {
            throw new IllegalArgumentException("tree size " + size + " is not between 0 and " + leaves.size());
        }
    }
}
