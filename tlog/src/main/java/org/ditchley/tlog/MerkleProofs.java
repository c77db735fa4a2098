package org.ditchley.tlog;

import java.util.ArrayList;
import java.util.List;

/** Verification of Merkle inclusion and consistency proofs, RFC 9162 §2.1.3.2 and §2.1.4.2. */
public final class MerkleProofs {

    private MerkleProofs() {
    }

    /**
     * {@link #verifyInclusion(long, long, Hash, List, Hash)} over hashes as they arrive on the wire;
     * any of them not exactly 32 bytes fails the proof.
     */
    public static void verifyInclusion(long index, long size, byte[] leafHash, List<byte[]> proof, byte[] root)
            throws ProofException {
        verifyInclusion(index, size, hash("leaf hash", leafHash), hashes(proof), hash("root", root));
    }

    /**
     * {@link #verifyConsistency(long, long, List, Hash, Hash)} over hashes as they arrive on the
     * wire. Between equal sizes the roots need only be identical (RFC 9162 compares them as
     * given); otherwise any value not exactly 32 bytes fails the proof.
     */
    public static void verifyConsistency(long size1, long size2, List<byte[]> proof, byte[] root1, byte[] root2)
            throws ProofException {
        if (size1 == size2 && size1 > 0) {
            if (!proof.isEmpty()) {
                throw new ProofException("a consistency proof between equal sizes must be empty, not " + proof.size() + " hashes");
            }
            if (root1 == null || root2 == null || !java.security.MessageDigest.isEqual(root1, root2)) {
                throw new ProofException("trees of equal size " + size1 + " have different roots");
            }
            return;
        }
        verifyConsistency(size1, size2, hashes(proof), hash("first root", root1), hash("second root", root2));
    }

    private static Hash hash(String what, byte[] bytes) throws ProofException {
        if (bytes == null || bytes.length != Hash.SIZE) {
            throw new ProofException(what + " is " + (bytes == null ? "missing" : bytes.length + " bytes") + ", not " + Hash.SIZE);
        }
        return Hash.of(bytes);
    }

    private static List<Hash> hashes(List<byte[]> proof) throws ProofException {
        List<Hash> hashes = new ArrayList<>(proof.size());
        for (int i = 0; i < proof.size(); i++) {
            hashes.add(hash("proof hash " + i, proof.get(i)));
        }
        return hashes;
    }

    /**
     * Verifies that {@code leafHash} is the leaf at {@code index} of the tree of {@code size}
     * leaves whose root is {@code root} (RFC 9162 §2.1.3.2). Requires {@code index < size}; fails
     * unless the path is used up exactly as the tree's shape demands ({@code sn == 0} at the end).
     *
     * @throws ProofException naming both roots when the proof leads elsewhere
     */
    public static void verifyInclusion(long index, long size, Hash leafHash, List<Hash> proof, Hash root)
            throws ProofException {
        Hash computed = rootFromInclusion(index, size, leafHash, proof);
        if (!computed.equals(root)) {
            throw new ProofException(computed, root);
        }
    }

    /** The root an inclusion proof leads to; fails on a proof of the wrong shape for {@code index} and {@code size}. */
    public static Hash rootFromInclusion(long index, long size, Hash leafHash, List<Hash> proof) throws ProofException {
        if (index < 0 || size < 0) {
            throw new ProofException("negative index " + index + " or size " + size);
        }
        if (index >= size) {
            throw new ProofException("index " + index + " is not below tree size " + size);
        }
        long fn = index;
        long sn = size - 1;
        Hash r = leafHash;
        for (Hash p : proof) {
            if (sn == 0) {
                throw new ProofException("inclusion proof has " + proof.size() + " hashes, more than a tree of "
                        + size + " needs for index " + index);
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = Rfc6962.nodeHash(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                r = Rfc6962.nodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        if (sn != 0) {
            throw new ProofException("inclusion proof has " + proof.size() + " hashes, fewer than a tree of "
                    + size + " needs for index " + index);
        }
        return r;
    }

    /**
     * Verifies that the tree of {@code size2} leaves with root {@code root2} extends the tree of
     * {@code size1} leaves with root {@code root1} (RFC 9162 §2.1.4.2). Equal sizes need an empty
     * proof and equal roots. A proof from size 0 is refused here: every tree extends the empty
     * tree, and a protocol that allows it (c2sp.org/tlog-witness {@code old 0}) decides that above
     * this check.
     *
     * @throws ProofException naming both roots when the proof leads elsewhere
     */
    public static void verifyConsistency(long size1, long size2, List<Hash> proof, Hash root1, Hash root2)
            throws ProofException {
        if (size1 < 0 || size2 < 0) {
            throw new ProofException("negative tree size " + size1 + " or " + size2);
        }
        if (size2 < size1) {
            throw new ProofException("tree size " + size2 + " is smaller than " + size1 + "; a log never shrinks");
        }
        if (size1 == 0) {
            throw new ProofException("a consistency proof from the empty tree is not checked by this verifier");
        }
        if (size1 == size2) {
            if (!proof.isEmpty()) {
                throw new ProofException("a consistency proof between equal sizes must be empty, not " + proof.size() + " hashes");
            }
            if (!root1.equals(root2)) {
                throw new ProofException(root2, root1);
            }
            return;
        }
        if (proof.isEmpty()) {
            throw new ProofException("consistency proof from " + size1 + " to " + size2 + " is empty");
        }
        List<Hash> path = new ArrayList<>(proof.size() + 1);
        if (Long.bitCount(size1) == 1) {
            path.add(root1);
        }
        path.addAll(proof);
        long fn = size1 - 1;
        long sn = size2 - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        Hash fr = path.get(0);
        Hash sr = path.get(0);
        for (Hash c : path.subList(1, path.size())) {
            if (sn == 0) {
                throw new ProofException("consistency proof from " + size1 + " to " + size2 + " has too many hashes ("
                        + proof.size() + ")");
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = Rfc6962.nodeHash(c, fr);
                sr = Rfc6962.nodeHash(c, sr);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                sr = Rfc6962.nodeHash(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        if (sn != 0) {
            throw new ProofException("consistency proof from " + size1 + " to " + size2 + " has too few hashes ("
                    + proof.size() + ")");
        }
        if (!fr.equals(root1)) {
            throw new ProofException(fr, root1);
        }
        if (!sr.equals(root2)) {
            throw new ProofException(sr, root2);
        }
    }
}
