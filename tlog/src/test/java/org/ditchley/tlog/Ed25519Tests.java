package org.ditchley.tlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The native arithmetic (AWS-LC) and Bouncy Castle's compute the same signatures and give the
 * same verdicts, on honest signatures and on the encodings where Ed25519 implementations are
 * known to part: small-order and non-canonical points as A or R, and scalars S at and above the
 * group order.
 */
class Ed25519Tests {

    private static final HexFormat HEX = HexFormat.of();
    /** The group order L, little-endian. */
    private static final String ORDER = "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010";

    /**
     * Points of order 1, 2, 4 and 8 in their canonical encodings, then encodings that are not
     * canonical (y ≥ p, or x = 0 with the sign bit set), then a y with no point on the curve.
     */
    private static final List<String> EDGE_POINTS = List.of(
            "0100000000000000000000000000000000000000000000000000000000000000",
            "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            "0000000000000000000000000000000000000000000000000000000000000000",
            "0000000000000000000000000000000000000000000000000000000000000080",
            "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
            "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
            "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
            "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
            "0100000000000000000000000000000000000000000000000000000000000080",
            "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
            "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
            "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
            "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            "0200000000000000000000000000000000000000000000000000000000000000");

    private static NativeEd25519 nativeArithmetic;

    @BeforeAll
    static void nativeArithmeticLoadsOnThisPlatform() {
        nativeArithmetic = Ed25519.nativeImplementation();
        assertThat(nativeArithmetic).as("AWS-LC through the Amazon Corretto Crypto Provider, on the test class path").isNotNull();
        assertThat(Ed25519.implementation()).contains("AmazonCorrettoCryptoProvider");
    }

    @Test
    void bothSignEveryMessageAlikeAndAcceptEachOthersSignatures() throws Exception {
        Random random = new Random(8032);
        for (int i = 0; i < 200; i++) {
            byte[] seed = new byte[32];
            random.nextBytes(seed);
            byte[] message = new byte[random.nextInt(2000)];
            random.nextBytes(message);
            Ed25519.Private key = Ed25519.privateKey(seed);
            byte[] portable = Ed25519.portableSign(seed, key.publicKey(), message);
            byte[] provided = Ed25519.sign(key, message);
            assertThat(provided).as("signature %d", i).isEqualTo(portable);
            Ed25519.Public pub = Ed25519.decode(key.publicKey());
            assertThat(Ed25519.verify(pub, message, portable)).isTrue();
            assertThat(Ed25519.portableVerify(pub, message, provided)).isTrue();
        }
    }

    @Test
    void oneKeySignsFromManyThreadsAtOnceExactlyAsFromOne() throws Exception {
        byte[] seed = new byte[32];
        new Random(7).nextBytes(seed);
        Ed25519.Private key = Ed25519.privateKey(seed);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 4000; i++) {
                byte[] message = ("license " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                results.add(pool.submit(() -> java.util.Arrays.equals(Ed25519.sign(key, message),
                        Ed25519.portableSign(seed, key.publicKey(), message))));
            }
            for (java.util.concurrent.Future<Boolean> r : results) {
                assertThat(r.get()).isTrue();
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void verificationsAfterARefusalOrWithAnotherKeyJudgeOnlyTheirOwnSignature() {
        // verifiers are reused from one verification to the next: none may carry a key or a
        // verdict over from the one before
        Ed25519.Private one = Ed25519.privateKey(HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
        Ed25519.Private two = Ed25519.privateKey(HEX.parseHex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"));
        Ed25519.Public pubOne = Ed25519.decode(one.publicKey());
        Ed25519.Public pubTwo = Ed25519.decode(two.publicKey());
        byte[] message = "halt receipt".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] sigOne = Ed25519.sign(one, message);
        byte[] sigTwo = Ed25519.sign(two, message);
        byte[] flipped = sigOne.clone();
        flipped[10] ^= 1;
        for (int i = 0; i < 50; i++) {
            assertThat(Ed25519.verify(pubOne, message, flipped)).isFalse();
            assertThat(Ed25519.verify(pubOne, message, sigOne)).isTrue();
            assertThat(Ed25519.verify(pubTwo, message, sigOne)).isFalse();
            assertThat(Ed25519.verify(pubTwo, message, sigTwo)).isTrue();
            assertThat(Ed25519.verify(pubOne, message, sigTwo)).isFalse();
        }
    }

    @Test
    void everyBitFlipOfASignatureOrItsMessageIsRefusedByBoth() {
        Ed25519.Private key = Ed25519.privateKey(HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
        Ed25519.Public pub = Ed25519.decode(key.publicKey());
        byte[] message = "halt receipt".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] sig = Ed25519.sign(key, message);
        for (int bit = 0; bit < 8 * sig.length; bit++) {
            byte[] bad = sig.clone();
            bad[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThat(Ed25519.verify(pub, message, bad)).as("native, signature bit %d", bit).isFalse();
            assertThat(Ed25519.portableVerify(pub, message, bad)).as("portable, signature bit %d", bit).isFalse();
        }
        for (int bit = 0; bit < 8 * message.length; bit++) {
            byte[] bad = message.clone();
            bad[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThat(Ed25519.verify(pub, bad, sig)).as("native, message bit %d", bit).isFalse();
            assertThat(Ed25519.portableVerify(pub, bad, sig)).as("portable, message bit %d", bit).isFalse();
        }
    }

    @Test
    void bothGiveTheSameVerdictOnEdgeCasePointsAndScalars() throws Exception {
        byte[] seed = new byte[32];
        new Random(25519).nextBytes(seed);
        Ed25519.Private honest = Ed25519.privateKey(seed);
        byte[] message = "stop order".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] honestSig = Ed25519.sign(honest, message);

        List<byte[]> keys = new ArrayList<>();
        keys.add(honest.publicKey());
        int refusedKeys = 0;
        for (String p : EDGE_POINTS) {
            try {
                Ed25519.decode(HEX.parseHex(p));
                keys.add(HEX.parseHex(p));
            } catch (IllegalArgumentException e) {
                refusedKeys++;
            }
        }
        List<byte[]> rs = new ArrayList<>();
        rs.add(java.util.Arrays.copyOf(honestSig, 32));
        EDGE_POINTS.forEach(p -> rs.add(HEX.parseHex(p)));
        List<byte[]> ss = new ArrayList<>();
        ss.add(java.util.Arrays.copyOfRange(honestSig, 32, 64));
        ss.add(new byte[32]);
        ss.add(littleEndian(1));
        ss.add(addToOrder(-1));
        ss.add(HEX.parseHex(ORDER));
        ss.add(addToOrder(1));
        byte[] ones = new byte[32];
        java.util.Arrays.fill(ones, (byte) 0xff);
        ss.add(ones);

        int cases = 0;
        int accepted = 0;
        for (byte[] a : keys) {
            Ed25519.Public pub = Ed25519.decode(a);
            for (byte[] r : rs) {
                for (byte[] s : ss) {
                    byte[] sig = new byte[64];
                    System.arraycopy(r, 0, sig, 0, 32);
                    System.arraycopy(s, 0, sig, 32, 32);
                    boolean provided = Ed25519.verify(pub, message, sig);
                    boolean portable = Ed25519.canonicalScalar(sig) && Ed25519.portableVerify(pub, message, sig);
                    assertThat(provided).as("A=%s R=%s S=%s", HEX.formatHex(a), HEX.formatHex(r), HEX.formatHex(s))
                            .isEqualTo(portable);
                    cases++;
                    accepted += provided ? 1 : 0;
                }
            }
        }
        // small-order keys are refused when decoded, so no edge case can pass as the identity's
        // S = 0 signature would ([0]B = O + [k]O); only the honest signature verifies
        assertThat(refusedKeys).as("small-order, non-canonical and off-curve keys refused at decoding").isEqualTo(EDGE_POINTS.size());
        assertThat(accepted).isEqualTo(1);
        assertThat(cases).isEqualTo(rs.size() * ss.size());
    }

    @Test
    void aScalarAtOrAboveTheGroupOrderIsRefusedBeforeAnyArithmetic() {
        Ed25519.Private key = Ed25519.privateKey(new byte[32]);
        Ed25519.Public pub = Ed25519.decode(key.publicKey());
        byte[] message = new byte[0];
        byte[] sig = Ed25519.sign(key, message);
        // S + L is the same scalar mod L: accepted by a verifier that reduces S, refused here (RFC 8032 §5.1.7)
        byte[] malleated = sig.clone();
        int carry = 0;
        byte[] order = HEX.parseHex(ORDER);
        for (int i = 0; i < 32; i++) {
            int v = (sig[32 + i] & 0xff) + (order[i] & 0xff) + carry;
            malleated[32 + i] = (byte) v;
            carry = v >>> 8;
        }
        assertThat(Ed25519.verify(pub, message, sig)).isTrue();
        assertThat(Ed25519.verify(pub, message, malleated)).isFalse();
    }

    private static byte[] littleEndian(int v) {
        byte[] out = new byte[32];
        out[0] = (byte) v;
        return out;
    }

    /** L + delta, little-endian, for a small delta. */
    private static byte[] addToOrder(int delta) {
        java.math.BigInteger l = new java.math.BigInteger(1, reversed(HEX.parseHex(ORDER))).add(java.math.BigInteger.valueOf(delta));
        byte[] be = l.toByteArray();
        byte[] out = new byte[32];
        for (int i = 0; i < Math.min(32, be.length); i++) {
            out[i] = be[be.length - 1 - i];
        }
        return out;
    }

    private static byte[] reversed(byte[] b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[b.length - 1 - i];
        }
        return out;
    }
}
