package org.ditchley.tlog;

import java.security.GeneralSecurityException;
import java.security.PublicKey;

/**
 * Ed25519 (RFC 8032 §5.1) with keys in their raw 32-byte encodings: a private key is its 32-byte
 * seed, a public key the encoded point A (§5.1.5), a signature R ‖ S (§5.1.6).
 *
 * <p>Verification is §5.1.7 as Go's {@code crypto/ed25519} does it, cofactorless: S must be
 * below the group order L and A must decode as a point of the curve, both checked here; then
 * [S]B = R + [k]A. The arithmetic is AWS-LC's when {@link NativeEd25519} loads (set the system
 * property {@code ditchley.ed25519} to {@code portable} to refuse it), else Bouncy Castle's
 * {@code rfc8032.Ed25519}, about ten times the JDK provider's speed. Both compute the same
 * signatures and give the same verdicts, edge cases included ({@code Ed25519Tests}).
 */
final class Ed25519 {

    static final int KEY_SIZE = 32;
    static final int SIGNATURE_SIZE = 64;

    /** The group order L = 2^252 + 27742317777372353535851937790883648493, little-endian (§5.1). */
    private static final byte[] ORDER = java.util.HexFormat.of().parseHex(
            "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");

    private static final NativeEd25519 NATIVE =
            "portable".equals(System.getProperty("ditchley.ed25519")) ? null : NativeEd25519.load();

    private Ed25519() {
    }

    /** Which arithmetic signs and verifies in this process. */
    static String implementation() {
        return NATIVE != null ? NATIVE.toString() : "Bouncy Castle";
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
     * A public key that decodes to a point of the curve, decoded once: as Bouncy Castle's point,
     * which skips the square root that decoding costs each verification, and, when the native
     * arithmetic runs, as the provider's key.
     */
    static final class Public {

        private final org.bouncycastle.math.ec.rfc8032.Ed25519.PublicPoint point;
        private final PublicKey provided;

        private Public(org.bouncycastle.math.ec.rfc8032.Ed25519.PublicPoint point, PublicKey provided) {
            this.point = point;
            this.provided = provided;
        }
    }

    /** A private key: its seed and public key, and the provider's signer when the native arithmetic runs. */
    static final class Private {

        private final byte[] seed;
        private final byte[] publicKey;
        private final NativeEd25519.Signer provided;

        private Private(byte[] seed, byte[] publicKey, NativeEd25519.Signer provided) {
            this.seed = seed;
            this.publicKey = publicKey;
            this.provided = provided;
        }

        byte[] publicKey() {
            return publicKey.clone();
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
        try {
            return new Public(point, NATIVE == null ? null : NATIVE.publicKey(raw));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key: " + e.getMessage(), e);
        }
    }

    /** The private key with 32-byte {@code seed}. */
    static Private privateKey(byte[] seed) {
        byte[] pk = publicKey(seed);
        try {
            return new Private(seed.clone(), pk, NATIVE == null ? null : NATIVE.signer(seed));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(NATIVE + " refused an Ed25519 seed", e);
        }
    }

    /** The signature of {@code message} by {@code key} (§5.1.6). */
    static byte[] sign(Private key, byte[] message) {
        return key.provided != null ? key.provided.sign(message) : portableSign(key.seed, key.publicKey, message);
    }

    /** Whether {@code sig} is a valid signature of {@code message} by {@code publicKey} (§5.1.7). */
    static boolean verify(Public publicKey, byte[] message, byte[] sig) {
        if (sig.length != SIGNATURE_SIZE || !canonicalScalar(sig)) {
            return false;
        }
        return publicKey.provided != null ? NATIVE.verify(publicKey.provided, message, sig)
                : portableVerify(publicKey, message, sig);
    }

    /** Bouncy Castle's signature, whichever arithmetic runs. */
    static byte[] portableSign(byte[] seed, byte[] publicKey, byte[] message) {
        byte[] sig = new byte[SIGNATURE_SIZE];
        org.bouncycastle.math.ec.rfc8032.Ed25519.sign(seed, 0, publicKey, 0, message, 0, message.length, sig, 0);
        return sig;
    }

    /** Bouncy Castle's verdict, whichever arithmetic runs; {@code sig} is 64 bytes. */
    static boolean portableVerify(Public publicKey, byte[] message, byte[] sig) {
        try {
            return org.bouncycastle.math.ec.rfc8032.Ed25519.verify(sig, 0, publicKey.point, message, 0, message.length);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The native implementation in use, or null; for comparing the two. */
    static NativeEd25519 nativeImplementation() {
        return NATIVE;
    }

    /** Whether S, the signature's second half read little-endian, is below L (§5.1.7 step 1). */
    static boolean canonicalScalar(byte[] sig) {
        for (int i = KEY_SIZE - 1; i >= 0; i--) {
            int s = sig[KEY_SIZE + i] & 0xff;
            int l = ORDER[i] & 0xff;
            if (s != l) {
                return s < l;
            }
        }
        return false;
    }
}
