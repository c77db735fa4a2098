package org.ditchley.tlog;

import java.util.ArrayList;
import java.util.List;

/**
 * A Merkle tree kept as its stored hashes: the hash of every complete, aligned subtree, written
 * in append order so that a log only ever appends. After leaf {@code n} come the hashes of the
 * subtrees it completes (the layout of Go's {@code sumdb/tlog}). Tree roots, proofs and
 * c2sp.org/tlog-tiles are all read from these hashes; nothing is ever rewritten.
 *
 * <p>A tile at level {@code L}, index {@code N} holds the stored hashes of tree level
 * {@code 8·L} with indexes {@code 256·N} to {@code 256·N + W - 1}.
 */
public final class StoredHashes {

    /**
     * Reads the hash of the {@code n}th complete subtree of height {@code level}, covering leaves
     * {@code [n·2^level, (n+1)·2^level)}; its position in append order is {@link #index(int, long)}.
     */
    @FunctionalInterface
    public interface Reader {
        Hash read(int level, long n) throws TlogException;
    }

    private StoredHashes() {
    }

    /** The position of the hash of the {@code n}th subtree of height {@code level} (2^level leaves). */
    public static long index(int level, long n) {
        // Level L's nth hash is written right after level L+1's (2n+1)th hash.
        for (int l = level; l > 0; l--) {
            n = 2 * n + 1;
        }
        // Level 0's nth hash is written at n + n/2 + n/4 + ...
        long i = 0;
        for (; n > 0; n >>= 1) {
            i += n;
        }
        return i + level;
    }

    /** How many hashes a tree of {@code size} leaves stores: {@code 2·size - popcount(size)}. */
    public static long count(long size) {
        return 2 * size - Long.bitCount(size);
    }

    /**
     * The hashes to append when leaf {@code n} (counting from 0) with hash {@code leafHash} joins a
     * tree of {@code n} leaves: the leaf hash, then the hash of each subtree it completes. They are
     * to be stored at {@link #count(long) count(n)} onwards.
     */
    public static List<Hash> append(long n, Hash leafHash, Reader stored) throws TlogException {
        List<Hash> out = new ArrayList<>();
        out.add(leafHash);
        Hash h = leafHash;
        long m = n;
        for (int level = 0; (m & 1) == 1; level++) {
            h = Rfc6962.nodeHash(stored.read(level, m - 1), h);
            out.add(h);
            m >>= 1;
        }
        return out;
    }

    /** MTH of the tree of {@code size} leaves (RFC 9162 §2.1.1). */
    public static Hash treeHash(long size, Reader stored) throws TlogException {
        if (size < 0) {
            throw new ProofException("tree size " + size + " is negative");
        }
        return size == 0 ? Rfc6962.emptyRoot() : rangeHash(0, size, stored);
    }

    /** The audit path of leaf {@code index} in the tree of {@code size} leaves (RFC 9162 §2.1.3.1). */
    public static List<Hash> inclusionProof(long index, long size, Reader stored) throws TlogException {
        if (index < 0 || index >= size) {
            throw new ProofException("index " + index + " is not below tree size " + size);
        }
        List<Hash> proof = new ArrayList<>();
        path(index, 0, size, stored, proof);
        return proof;
    }

    /** The consistency proof from size {@code size1} to {@code size2} (RFC 9162 §2.1.4.1), {@code 0 < size1 <= size2}. */
    public static List<Hash> consistencyProof(long size1, long size2, Reader stored) throws TlogException {
        if (size1 <= 0 || size1 > size2) {
            throw new ProofException("need 0 < size1 <= size2, got " + size1 + " and " + size2);
        }
        List<Hash> proof = new ArrayList<>();
        subproof(size1, 0, size2, true, stored, proof);
        return proof;
    }

    private static void path(long m, long start, long end, Reader stored, List<Hash> proof) throws TlogException {
        long n = end - start;
        if (n == 1) {
            return;
        }
        long k = Long.highestOneBit(n - 1);
        if (m < k) {
            path(m, start, start + k, stored, proof);
            proof.add(rangeHash(start + k, end, stored));
        } else {
            path(m - k, start + k, end, stored, proof);
            proof.add(rangeHash(start, start + k, stored));
        }
    }

    private static void subproof(long m, long start, long end, boolean whole, Reader stored, List<Hash> proof)
            throws TlogException {
        long n = end - start;
        if (m == n) {
            if (!whole) {
                proof.add(rangeHash(start, end, stored));
            }
            return;
        }
        long k = Long.highestOneBit(n - 1);
        if (m <= k) {
            subproof(m, start, start + k, whole, stored, proof);
            proof.add(rangeHash(start + k, end, stored));
        } else {
            subproof(m - k, start + k, end, false, stored, proof);
            proof.add(rangeHash(start, start + k, stored));
        }
    }

    /**
     * MTH of leaves {@code [lo, hi)} where {@code lo} is aligned as the proof recursion leaves it:
     * split into maximal complete subtrees, left to right, read from storage and folded from the
     * right.
     */
    static Hash rangeHash(long lo, long hi, Reader stored) throws TlogException {
        List<Hash> parts = new ArrayList<>();
        while (lo < hi) {
            int level = Math.min(Long.numberOfTrailingZeros(lo == 0 ? Long.highestOneBit(hi - lo) : lo),
                    63 - Long.numberOfLeadingZeros(hi - lo));
            parts.add(stored.read(level, lo >> level));
            lo += 1L << level;
        }
        Hash h = parts.get(parts.size() - 1);
        for (int i = parts.size() - 2; i >= 0; i--) {
            h = Rfc6962.nodeHash(parts.get(i), h);
        }
        return h;
    }
}
