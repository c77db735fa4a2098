package org.ditchley.tlog;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * RFC 6962 §2.1 (RFC 9162 §2.1.1) hashing: a leaf is {@code SHA-256(0x00 ‖ entry)}, an interior
 * node {@code SHA-256(0x01 ‖ left ‖ right)}, the empty tree {@code SHA-256()}. The prefixes keep
 * a leaf from ever being mistaken for a node.
 */
public final class Rfc6962 {

    private Rfc6962() {
    }

    public static Hash leafHash(byte[] entry) {
        MessageDigest sha = sha256();
        sha.update((byte) 0x00);
        sha.update(entry);
        return Hash.of(sha.digest());
    }

    public static Hash nodeHash(Hash left, Hash right) {
        MessageDigest sha = sha256();
        sha.update((byte) 0x01);
        left.update(sha);
        right.update(sha);
        return Hash.of(sha.digest());
    }

    /** {@code SHA-256(0x01 ‖ left ‖ right)} over two hashes held at offsets of byte arrays. */
    static byte[] nodeHash(byte[] left, int leftOffset, byte[] right, int rightOffset) {
        MessageDigest sha = sha256();
        sha.update((byte) 0x01);
        sha.update(left, leftOffset, Hash.SIZE);
        sha.update(right, rightOffset, Hash.SIZE);
        return sha.digest();
    }

    public static Hash emptyRoot() {
        return Hash.of(sha256().digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
