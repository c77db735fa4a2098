package org.ditchley.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * OpenSSL's SHA-256, as the fingerprinter feeds it (direct buffers read in place, at any position,
 * and heap bytes), against the published FIPS 180-4 examples and against the JDK's SHA-256.
 */
class Sha256Tests {

    @Test
    void theFingerprinterHashesWithOpenSslOnThisMachine() {
        assertThat(OpenSslSha256.available()).as("libcrypto loads and passes its self-check").isTrue();
        assertThat(ModelHasher.sha256Implementation()).isEqualTo("OpenSSL libcrypto");
    }

    @Test
    void publishedExamples() {
        assertThat(hex(Sha256.openssl(), "")).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(hex(Sha256.openssl(), "abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(hex(Sha256.openssl(), "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"))
                .isEqualTo("cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
    }

    @Test
    void sameDigestsAsTheJdkForEveryLengthAroundBlockBoundariesAndAnyPiecing() {
        SplittableRandom random = new SplittableRandom(180_4);
        for (int length : lengths()) {
            byte[] message = new byte[length];
            random.nextBytes(message);
            ByteBuffer direct = ByteBuffer.allocateDirect(length + 100);
            int offset = random.nextInt(100);
            direct.position(offset).put(message);
            try (Sha256 openssl = Sha256.openssl(); Sha256 jdk = Sha256.jdk()) {
                int at = 0;
                while (at < length) {
                    int piece = Math.min(length - at, 1 + random.nextInt(300));
                    ByteBuffer slice = direct.duplicate().limit(offset + at + piece).position(offset + at);
                    if (random.nextBoolean()) {
                        openssl.update(slice);
                        assertThat(slice.hasRemaining()).as("the buffer is consumed").isFalse();
                    } else {
                        openssl.update(ByteBuffer.wrap(message, at, piece));
                    }
                    jdk.update(ByteBuffer.wrap(message, at, piece));
                    at += piece;
                }
                assertThat(openssl.finish()).as("%d bytes", length).isEqualTo(jdk.finish());
            }
        }
    }

    @Test
    void threadsHashingAtOnceEachGetTheirOwnDigest() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                int seed = t;
                results.add(pool.submit(() -> {
                    byte[] message = new byte[3 << 20];
                    new SplittableRandom(seed).nextBytes(message);
                    ByteBuffer direct = ByteBuffer.allocateDirect(message.length).put(message).flip();
                    try (Sha256 openssl = Sha256.openssl(); Sha256 jdk = Sha256.jdk()) {
                        while (direct.hasRemaining()) {
                            openssl.update(direct.slice().limit(Math.min(direct.remaining(), 1 << 20)));
                            direct.position(Math.min(direct.limit(), direct.position() + (1 << 20)));
                        }
                        jdk.update(ByteBuffer.wrap(message));
                        return openssl.finish().equals(jdk.finish());
                    }
                }));
            }
            for (Future<Boolean> r : results) {
                assertThat(r.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFinishedComputationRefusesMoreBytes() {
        Sha256 sha = Sha256.openssl();
        sha.update(ByteBuffer.allocateDirect(10));
        sha.finish();
        assertThatThrownBy(() -> sha.update(ByteBuffer.allocateDirect(10))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("finished");
        assertThatThrownBy(sha::finish).isInstanceOf(IllegalStateException.class);
        sha.close();
    }

    private static List<Integer> lengths() {
        List<Integer> lengths = new ArrayList<>();
        for (int block = 0; block <= 4; block++) {
            for (int d = -9; d <= 9; d++) {
                if (64 * block + d >= 0) {
                    lengths.add(64 * block + d);
                }
            }
        }
        lengths.addAll(List.of(1000, 4096, 65_537, 1 << 20, (1 << 20) + 13));
        return lengths;
    }

    private static String hex(Sha256 sha, String message) {
        try (sha) {
            byte[] bytes = message.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
            sha.update(direct);
            return sha.finish().hex();
        }
    }
}
