package org.ditchley.tlog;


/**
 * Ed25519 (RFC 8032 §5.1) with keys in their raw 32-byte encodings: a private key is its 32-byte
 * seed, a public key the encoded point A (§5.1.5), a signature R ‖ S (§5.1.6). The arithmetic is
 * Bouncy Castle's {@code rfc8032.Ed25519}, about ten times the JDK provider's speed, which is
 * what lets one node sign and check thousands of operating licenses a second. Verification is
 * RFC 8032 §5.1.7 as Go's {@code crypto/ed25519} does it: S must be below the group order and
 * A and R must decode as points.
 */
final class Ed25519 {

    static final int KEY_SIZE = 32;
    static final int SIGNATURE_SIZE = 64;

    private Ed25519() {
    }

    /** The public key of private key {@code seed} (RFC 8032 §5.1.5). */
    static byte[] publicKey(byte[] seed) {
        if (seed.length != KEY_SIZE) {
            throw new IllegalArgumentException("an Ed25519 seed is 32 bytes, not " + seed.length);
        }
        byte[] pk = new byte[KEY_SIZE];
        org.bouncycastle.math.ec.rfc8032.Ed25519.generatePublicKey(seed, 0, pk, 0);
        return pk;
    }

    /**
     * A public key: its encoding A and the point it decodes to, decoded once so that each
     * verification skips the square root that decoding costs (about a quarter of a verification).
     */
    static final class Public {

        private final org.bouncycastle.math.ec.rfc8032.Ed25519.PublicPoint point;

        private Public(org.bouncycastle.math.ec.rfc8032.Ed25519.PublicPoint point) {
            this.point = point;
        }
    }

    /** The public key encoded as {@code raw} if it is an encoded point of the curve, else an exception. */
    static Public decode(byte[] raw) {
        if (raw.length != KEY_SIZE) {
            throw new IllegalArgumentException("an Ed25519 public key is 32 bytes, not " + raw.length);
        }
        org.bouncycastle.math.ec.rfc8032.Ed25519.PublicPoint point =
                org.bouncycastle.math.ec.rfc8032.Ed25519.validatePublicKeyPartialExport(raw.clone(), 0);
        if (point == null) {
            throw new IllegalArgumentException("not an Ed25519 public key: not a point of the curve");
        }
        return new Public(point);
    }

    /** The signature of {@code message} by the key with private {@code seed} and public {@code publicKey} (§5.1.6). */
    static byte[] sign(byte[] seed, byte[] publicKey, byte[] message) {
        byte[] sig = new byte[SIGNATURE_SIZE];
        org.bouncycastle.math.ec.rfc8032.Ed25519.sign(seed, 0, publicKey, 0, message, 0, message.length, sig, 0);
        return sig;
    }

    /** Whether {@code sig} is a valid signature of {@code message} by {@code publicKey} (§5.1.7). */
    static boolean verify(Public publicKey, byte[] message, byte[] sig) {
        if (sig.length != SIGNATURE_SIZE) {
            return false;
        }
        try {
            return org.bouncycastle.math.ec.rfc8032.Ed25519.verify(sig, 0, publicKey.point, message, 0, message.length);
        } catch (RuntimeException e) {
            return false;
        }
    }
}
