package org.ditchley.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One read gives both the manifest and the fingerprint, and neither depends on how the read was
 * split: files or shards of any size give the same tensor digests, and the manifest matches the
 * plain hasher's.
 */
class FingerprinterTests {

    @TempDir
    Path dir;

    @Test
    void chunkChecksumsMatchThePublishedCheckValues() {
        byte[] out = new byte[TensorDigests.CHECKSUM];
        byte[] check = "123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        TensorDigests.chunkHash(check, check.length, out, 0);
        // the CRC catalogue's check value of CRC-32/ISCSI (CRC-32C)
        assertThat(HexFormat.of().formatHex(out)).isEqualTo("e3069283");
        // RFC 3720 §B.4: 32 bytes of zeros have CRC-32C 8a9136aa
        TensorDigests.chunkHash(new byte[32], 32, out, 0);
        assertThat(HexFormat.of().formatHex(out)).isEqualTo("8a9136aa");
        ByteBuffer direct = ByteBuffer.allocateDirect(check.length).put(check).flip();
        byte[] fromDirect = new byte[TensorDigests.CHECKSUM];
        TensorDigests.chunkHash(direct, fromDirect, 0);
        assertThat(HexFormat.of().formatHex(fromDirect)).isEqualTo("e3069283");
        assertThat(direct.remaining()).as("the buffer is left unconsumed").isEqualTo(check.length);
    }

    @Test
    void tensorDigestsDoNotDependOnHowTheFileIsSplit() throws Exception {
        Path model = Files.createDirectories(dir.resolve("m"));
        Transformers.safetensors(model.resolve("a.safetensors"), Transformers.model(1), false, Map.of());
        Transformers.gguf(model.resolve("b.gguf"), Transformers.model(2), 2);
        Files.writeString(model.resolve("config.json"), "{}");
        Fingerprinter.Result files = Fingerprinter.run(model, ModelHasher.Options.files(), n -> { });
        assertThat(files.manifest()).isEqualTo(ModelHasher.hash(model, ModelHasher.Options.files(), n -> { }));
        for (long shard : new long[] {1_000, 4_096, 65_537, 1 << 20}) {
            Fingerprinter.Result sharded = Fingerprinter.run(model, ModelHasher.Options.shards().withShardSize(shard), n -> { });
            assertThat(sharded.fingerprint().tensors()).as("shards of %d", shard).isEqualTo(files.fingerprint().tensors());
            assertThat(sharded.manifest()).isEqualTo(ModelHasher.hash(model, ModelHasher.Options.shards().withShardSize(shard), n -> { }));
        }
        Fingerprinter.Result oneThread = Fingerprinter.run(model,
                new ModelHasher.Options(false, ModelHasher.DEFAULT_SHARD_SIZE, false, ModelHasher.DEFAULT_IGNORE, 1), n -> { });
        assertThat(oneThread.fingerprint().tensors()).isEqualTo(files.fingerprint().tensors());
        assertThat(files.fingerprint().tensors()).hasSize(42);
        assertThat(files.fingerprint().sketches()).hasSize(32);
    }

    @Test
    void filesWithTheSameHeaderKeepTheirOwnTensorDigests() throws Exception {
        Path model = Files.createDirectories(dir.resolve("twins"));
        Path a = Transformers.safetensors(model.resolve("a.safetensors"), Transformers.model(1), false, Map.of());
        Path b = Transformers.safetensors(model.resolve("b.safetensors"), Transformers.model(2), false, Map.of());
        assertThat(Safetensors.read(a).tensors()).isEqualTo(Safetensors.read(b).tensors());
        List<TensorDigests.TensorDigest> expected = new java.util.ArrayList<>(TensorDigests.of(a));
        expected.addAll(TensorDigests.of(b));
        assertThat(TensorDigests.of(a)).doesNotContainAnyElementsOf(TensorDigests.of(b));
        for (ModelHasher.Options options : List.of(ModelHasher.Options.files(), ModelHasher.Options.shards().withShardSize(10_000))) {
            assertThat(Fingerprinter.run(model, options, n -> { }).fingerprint().tensors()).isEqualTo(expected);
        }
    }

    @Test
    void aTensorLargerThanAChunkIsDigestedChunkByChunk() throws Exception {
        float[] big = new float[600_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = i * 0.5f;
        }
        Path file = ModelFiles.safetensors(dir.resolve("big.safetensors"),
                List.of(new ModelFiles.Data("w", "F32", new long[] {600, 1000}, ModelFiles.f32(big))), Map.of(), 3);
        Tensor t = Safetensors.read(file).tensors().get(0);
        byte[] bytes = java.util.Arrays.copyOfRange(Files.readAllBytes(file), (int) t.offset(), (int) t.end());
        assertThat(bytes.length).isEqualTo(2_400_000);
        byte[] chunks = new byte[3 * TensorDigests.CHECKSUM];
        for (int k = 0; k < 3; k++) {
            byte[] piece = java.util.Arrays.copyOfRange(bytes, k * TensorDigests.CHUNK, Math.min(bytes.length, (k + 1) * TensorDigests.CHUNK));
            TensorDigests.chunkHash(piece, piece.length, chunks, TensorDigests.CHECKSUM * k);
        }
        java.security.MessageDigest sha = Digest.sha256();
        sha.update(TensorDigests.prefix(t));
        sha.update(ByteBuffer.allocate(8).putLong(bytes.length).array());
        sha.update(chunks);
        Digest expected = Digest.of(sha.digest());
        assertThat(TensorDigests.of(file).get(0).digest()).isEqualTo(expected);
        Fingerprinter.Result cut = Fingerprinter.run(file, ModelHasher.Options.shards().withShardSize(1_000_003), n -> { });
        assertThat(cut.fingerprint().tensors().get(0).digest()).isEqualTo(expected);
    }

    @Test
    void nonFiniteWeightsAreSketchedAsZeroAndTheFingerprintStillReadsBack() throws Exception {
        float[] values = new float[64 * 64];
        for (int i = 0; i < values.length; i++) {
            values[i] = switch (i % 4) {
                case 0 -> Float.NaN;
                case 1 -> Float.POSITIVE_INFINITY;
                case 2 -> Float.NEGATIVE_INFINITY;
                default -> i;
            };
        }
        Path file = ModelFiles.safetensors(dir.resolve("overflowed.safetensors"),
                List.of(new ModelFiles.Data("w", "F32", new long[] {64, 64}, ModelFiles.f32(values))), Map.of(), 0);
        ModelFingerprint fingerprint = Fingerprinter.run(file, ModelHasher.Options.files(), n -> { }).fingerprint();
        float[] sketch = fingerprint.sketches().get(0).values();
        int zeros = 0;
        for (float v : sketch) {
            assertThat(Float.isFinite(v)).as("sampled value %s", v).isTrue();
            zeros += v == 0f ? 1 : 0;
        }
        assertThat(zeros).isBetween(sketch.length / 2, sketch.length - 1);
        ModelFingerprint back = FingerprintJson.read(FingerprintJson.write(fingerprint));
        assertThat(back.tensors()).isEqualTo(fingerprint.tensors());
        assertThat(back.sketches().get(0).values()).containsExactly(sketch);
    }

    @Test
    void aFileNamedAsWeightsThatIsNotIsRefused() throws Exception {
        Path model = Files.createDirectories(dir.resolve("m"));
        Files.writeString(model.resolve("model.safetensors"), "not weights");
        assertThatThrownBy(() -> Fingerprinter.run(model, ModelHasher.Options.files(), n -> { }))
                .isInstanceOf(MalformedModelException.class).hasMessageContaining("model.safetensors is named as weights");
    }

    @Test
    void sketchesTakenFromTheReadEqualSketchesReadValueByValue() throws Exception {
        Path model = Files.createDirectories(dir.resolve("encodings"));
        Transformers.Model base = Transformers.model(7);
        Transformers.safetensors(model.resolve("f32.safetensors"), base, false, Map.of());
        List<ModelFiles.Data> halves = new java.util.ArrayList<>();
        base.weights().forEach((name, v) -> {
            halves.add(new ModelFiles.Data("f16." + name, "F16", base.shapes().get(name), halfBytes(v, false)));
            halves.add(new ModelFiles.Data("bf16." + name, "BF16", base.shapes().get(name), halfBytes(v, true)));
        });
        ModelFiles.safetensors(model.resolve("halves.safetensors"), halves, Map.of(), 5);
        Transformers.gguf(model.resolve("q8.gguf"), base, 8);
        Transformers.gguf(model.resolve("q4.gguf"), base, 2);
        List<TensorSketch> valueByValue = new java.util.ArrayList<>();
        for (Path file : ModelHasher.files(model, ModelHasher.Options.files())) {
            List<Tensor> tensors = new java.util.ArrayList<>(TensorDigests.tensors(file));
            tensors.sort(java.util.Comparator.comparingLong(Tensor::offset));
            valueByValue.addAll(Sketches.of(file, tensors));
        }
        assertThat(valueByValue).extracting(TensorSketch::dtype).contains("F32", "F16", "BF16", "Q8_0", "Q4_0");
        // shards of odd sizes cut sample values in two, which are then read on their own
        for (ModelHasher.Options options : List.of(ModelHasher.Options.files(), ModelHasher.Options.shards().withShardSize(1_001),
                ModelHasher.Options.shards().withShardSize(4_097), ModelHasher.Options.shards().withShardSize(65_537))) {
            List<TensorSketch> taken = Fingerprinter.run(model, options, n -> { }).fingerprint().sketches();
            assertThat(taken).hasSameSizeAs(valueByValue);
            for (int i = 0; i < taken.size(); i++) {
                assertThat(taken.get(i).name()).isEqualTo(valueByValue.get(i).name());
                assertThat(taken.get(i).values()).as("%s with %s", taken.get(i).name(), options).containsExactly(valueByValue.get(i).values());
            }
        }
    }

    /** {@code values} as little-endian binary16, or bfloat16 (the float's upper half). */
    private static byte[] halfBytes(float[] values, boolean bfloat) {
        ByteBuffer b = ByteBuffer.allocate(2 * values.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putShort(bfloat ? (short) (Float.floatToIntBits(v) >>> 16) : Transformers.half(v));
        }
        return b.array();
    }
}
