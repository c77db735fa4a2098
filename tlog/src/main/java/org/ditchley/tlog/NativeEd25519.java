package org.ditchley.tlog;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/**
 * Ed25519 (RFC 8032 §5.1) computed by AWS-LC through the Amazon Corretto Crypto Provider, a JCA
 * provider with a native library, when that provider is on the class path and its library loads
 * on this platform. On x86-64 it verifies about 2.3 times and signs about 4 times as fast as
 * Bouncy Castle's arithmetic, which is what a node checking thousands of halt receipts a second
 * spends its time on. It is looked up by name, so this library does not need it to build or run.
 *
 * <p>Keys reach the provider in their standard encodings (RFC 8410 §4 and §7): the public key
 * as a SubjectPublicKeyInfo, the private seed as a PKCS #8 PrivateKeyInfo, both parsed once by
 * the JDK's own Ed25519 key factory. Verification is cofactorless and compares the encoding of
 * the recomputed R with the signature's, as Go's {@code crypto/ed25519} does; {@link Ed25519}
 * applies the same key and scalar checks before either implementation runs.
 */
final class NativeEd25519 {

    private static final String PROVIDER = "com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider";
    /** SubjectPublicKeyInfo of an id-Ed25519 key up to its 32 bytes (RFC 8410 §4). */
    private static final byte[] SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
    /** PrivateKeyInfo v1 of an id-Ed25519 seed up to its 32 bytes (RFC 8410 §7). */
    private static final byte[] PKCS8_PREFIX = {0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70,
            0x04, 0x22, 0x04, 0x20};

    private final Provider provider;
    private final String name;

    private NativeEd25519(Provider provider) {
        this.provider = provider;
        this.name = provider.getName() + " " + provider.getVersionStr();
    }

    /**
     * Signature objects for verifying, each initialized afresh with the key of the verification
     * that takes it. They are not thread-safe: one is taken from here for one verification at a
     * time, and put back only when it ended normally. Reusing them spares each verification the
     * provider lookup that {@link Signature#getInstance} does, and keeps that lookup out of the
     * code the JIT compiles into every caller of a verification.
     */
    private final java.util.Queue<Signature> verifiers = new java.util.concurrent.ConcurrentLinkedQueue<>();

    /** A new signature object; see {@link #verifiers} and {@link Signer} for the ones kept. */
    private Signature signature() throws GeneralSecurityException {
        return Signature.getInstance("Ed25519", provider);
    }

    /**
     * The native implementation, or null if the provider is absent, its library did not load,
     * or it does not compute exactly what Bouncy Castle computes on a fresh random key: the same
     * signature, which both then accept, and a changed message, which both refuse.
     */
    static NativeEd25519 load() {
        Provider provider;
        try {
            Class<?> type = Class.forName(PROVIDER);
            provider = (Provider) type.getField("INSTANCE").get(null);
            type.getMethod("assertHealthy").invoke(provider);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return null;
        }
        try {
            NativeEd25519 impl = new NativeEd25519(provider);
            byte[] seed = new byte[Ed25519.KEY_SIZE];
            new SecureRandom().nextBytes(seed);
            byte[] publicKey = Ed25519.publicKey(seed);
            byte[] message = "Ed25519 self-check".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            byte[] expected = Ed25519.portableSign(seed, publicKey, message);
            byte[] got = impl.signer(seed).sign(message);
            PublicKey key = impl.publicKey(publicKey);
            byte[] other = message.clone();
            other[0] ^= 1;
            if (!Arrays.equals(expected, got) || !impl.verify(key, message, got) || impl.verify(key, other, got)) {
                return null;
            }
            return impl;
        } catch (GeneralSecurityException | RuntimeException e) {
            return null;
        }
    }

    /** The provider's name and version. */
    @Override
    public String toString() {
        return name;
    }

    /** The provider-ready form of a raw 32-byte public key; the caller has checked it decodes. */
    PublicKey publicKey(byte[] raw) throws GeneralSecurityException {
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(concat(SPKI_PREFIX, raw)));
    }

    /** A private key in the provider's form, ready to sign from any thread. */
    final class Signer {

        private final PrivateKey key;
        /** Signature objects initialized with this key; one kept signs in half the time of a new one. */
        private final java.util.Queue<Signature> idle = new java.util.concurrent.ConcurrentLinkedQueue<>();

        private Signer(PrivateKey key) {
            this.key = key;
        }

        byte[] sign(byte[] message) {
            try {
                Signature s = idle.poll();
                if (s == null) {
                    s = signature();
                    s.initSign(key);
                }
                s.update(message);
                byte[] sig = s.sign();
                idle.offer(s);
                return sig;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(name + " could not sign", e);
            }
        }
    }

    /** The signer with 32-byte private {@code seed}. */
    Signer signer(byte[] seed) throws GeneralSecurityException {
        byte[] encoded = concat(PKCS8_PREFIX, seed);
        try {
            return new Signer(KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(encoded)));
        } finally {
            Arrays.fill(encoded, (byte) 0);
        }
    }

    /** Whether {@code sig} (64 bytes) is {@code key}'s signature of {@code message}; false on any provider error. */
    boolean verify(PublicKey key, byte[] message, byte[] sig) {
        try {
            Signature s = verifiers.poll();
            if (s == null) {
                s = signature();
            }
            s.initVerify(key);
            s.update(message);
            boolean valid = s.verify(sig);
            verifiers.offer(s);
            return valid;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static byte[] concat(byte[] prefix, byte[] key) {
        byte[] out = Arrays.copyOf(prefix, prefix.length + key.length);
        System.arraycopy(key, 0, out, prefix.length, key.length);
        return out;
    }
}
