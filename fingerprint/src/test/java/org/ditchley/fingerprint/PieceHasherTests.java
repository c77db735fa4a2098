package org.ditchley.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A piece hashes to the SHA-256 of its bytes whether its thread reads for itself (every core
 * busy) or a reader runs ahead of it (a core idle), and a read that fails in either way fails
 * the piece with the file and the byte named, without hanging.
 */
@Timeout(60)
class PieceHasherTests {

    @TempDir
    Path dir;
    final ExecutorService readers = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        readers.shutdownNow();
    }

    /** One thread: no core is ever idle, so the piece's thread reads for itself; two: a reader runs ahead. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void aPieceHashesToTheSha256OfItsBytes(int threads) throws Exception {
        byte[] bytes = new byte[3 * TensorDigests.CHUNK + 12_345];
        new Random(threads).nextBytes(bytes);
        Path file = Files.write(dir.resolve("blob.bin"), bytes);
        AtomicLong progressed = new AtomicLong();
        PieceHasher hasher = new PieceHasher(Map.of(), Map.of(), 1, threads, readers, progressed::addAndGet);
        Digest whole = hasher.hash(new PieceHasher.Piece(".", file, 0, bytes.length, List.of()));
        Digest shard = hasher.hash(new PieceHasher.Piece(".", file, 1_000_000, 2_500_001, List.of()));
        assertThat(whole).isEqualTo(sha256(bytes, 0, bytes.length));
        assertThat(shard).isEqualTo(sha256(bytes, 1_000_000, 2_500_001));
        assertThat(progressed.get()).isEqualTo(bytes.length + 1_500_001L);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void aFileShorterThanItsPieceFailsThePieceAndTheThreadHashesOn(int threads) throws Exception {
        byte[] bytes = new byte[2 * TensorDigests.CHUNK + 77];
        new Random(7).nextBytes(bytes);
        Path file = Files.write(dir.resolve("short.bin"), bytes);
        PieceHasher hasher = new PieceHasher(Map.of(), Map.of(), 1, threads, readers, n -> { });
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            assertThatThrownBy(() -> hasher.hash(new PieceHasher.Piece(".", file, 0, bytes.length + 5_000_000L, List.of())))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("short.bin").hasMessageContaining("ended at byte " + bytes.length);
            assertThat(hasher.hash(new PieceHasher.Piece(".", file, 0, bytes.length, List.of()))).isEqualTo(sha256(bytes, 0, bytes.length));
        });
    }

    @Test
    void tensorChunksAndSamplesAreTheSameWhoeverReadsThem() throws Exception {
        Path file = Transformers.safetensors(dir.resolve("model.safetensors"), Transformers.model(5), false, Map.of());
        List<Tensor> tensors = new java.util.ArrayList<>(Safetensors.read(file).tensors());
        tensors.sort(java.util.Comparator.comparingLong(Tensor::offset));
        long size = Files.size(file);
        byte[][] checksums = new byte[2][];
        float[][] samples = new float[2][];
        Tensor matrix = tensors.stream().filter(Sketches::qualifies).findFirst().orElseThrow();
        for (int threads = 1; threads <= 2; threads++) {
            Map<Tensor, PieceHasher.Chunks> chunks = new java.util.IdentityHashMap<>();
            Map<Tensor, Sketches.Sampler> samplers = new java.util.IdentityHashMap<>();
            tensors.forEach(t -> chunks.put(t, new PieceHasher.Chunks(t)));
            samplers.put(matrix, new Sketches.Sampler(matrix));
            new PieceHasher(chunks, samplers, 1, threads, readers, n -> { }).hash(new PieceHasher.Piece(".", file, 0, size, tensors));
            assertThat(chunks.get(matrix).done).containsOnly(true);
            checksums[threads - 1] = chunks.get(matrix).hashes;
            try (var ch = java.nio.channels.FileChannel.open(file)) {
                samples[threads - 1] = samplers.get(matrix).finish(ch).values();
            }
        }
        assertThat(checksums[1]).isEqualTo(checksums[0]);
        assertThat(samples[1]).containsExactly(samples[0]);
    }

    private static Digest sha256(byte[] bytes, int from, int to) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(bytes, from, to - from);
        return Digest.of(sha.digest());
    }
}
