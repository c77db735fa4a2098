package org.ditchley.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufTests {

    @TempDir
    Path dir;

    /** Metadata of every value type, arrays (nested) included. */
    static Map<String, Consumer<ModelFiles.GgufWriter>> metadata() {
        Map<String, Consumer<ModelFiles.GgufWriter>> kv = new LinkedHashMap<>();
        kv.put("general.architecture", w -> w.u32(8).str("llama"));
        kv.put("general.alignment", w -> w.u32(4).u32(64));
        kv.put("u8", w -> { w.u32(0); w.out.write(200); });
        kv.put("i8", w -> { w.u32(1); w.out.write(-3); });
        kv.put("u16", w -> { w.u32(2); w.out.writeBytes(new byte[] {1, 2}); });
        kv.put("i16", w -> { w.u32(3); w.out.writeBytes(new byte[] {-1, -1}); });
        kv.put("i32", w -> w.u32(5).u32(-7));
        kv.put("f32", w -> w.u32(6).u32(Float.floatToIntBits(0.5f)));
        kv.put("bool", w -> { w.u32(7); w.out.write(1); });
        kv.put("u64", w -> w.u32(10).u64(1L << 40));
        kv.put("i64", w -> w.u32(11).u64(-5));
        kv.put("f64", w -> w.u32(12).u64(Double.doubleToLongBits(2.25)));
        kv.put("tokenizer.ggml.tokens", w -> w.u32(9).u32(8).u64(3).str("<s>").str("</s>").str("hello"));
        kv.put("nested", w -> w.u32(9).u32(9).u64(2).u32(4).u64(2).u32(1).u32(2).u32(6).u64(1).u32(0));
        return kv;
    }

    static ModelFiles.GgufWriter model() {
        ModelFiles.GgufWriter w = new ModelFiles.GgufWriter();
        w.alignment = 64;
        w.tensor("token_embd.weight", 0, new long[] {4, 2}, ModelFiles.f32(1, 2, 3, 4, 5, 6, 7, 8));
        w.tensor("blk.0.attn_q.weight", 8, new long[] {32, 2}, new byte[68]);
        w.tensor("blk.0.ffn_up.weight", 2, new long[] {64, 1}, new byte[36]);
        w.tensor("output_norm.weight", 1, new long[] {4}, new byte[8]);
        return w;
    }

    @Test
    void readsMetadataOfEveryTypeAndTensorsWithTheirTypesAndShapes() throws Exception {
        Path file = Files.write(dir.resolve("m.gguf"), model().bytes(metadata()));
        Gguf.Header h = Gguf.read(file);
        assertThat(h.version()).isEqualTo(3);
        assertThat(h.alignment()).isEqualTo(64);
        assertThat(h.dataOffset() % 64).isZero();
        assertThat(h.metadata()).containsEntry("general.architecture", "llama").containsEntry("u8", 200L).containsEntry("i8", -3L)
                .containsEntry("u16", 0x0201L).containsEntry("i16", -1L).containsEntry("i32", -7L).containsEntry("f32", 0.5)
                .containsEntry("bool", true).containsEntry("u64", 1L << 40).containsEntry("i64", -5L).containsEntry("f64", 2.25)
                .containsEntry("tokenizer.ggml.tokens", new Gguf.ArrayValue("string", 3))
                .containsEntry("nested", new Gguf.ArrayValue("array", 2));
        assertThat(h.tensors()).extracting(Tensor::name)
                .containsExactly("token_embd.weight", "blk.0.attn_q.weight", "blk.0.ffn_up.weight", "output_norm.weight");
        Tensor q = h.tensors().get(1);
        assertThat(q.dtype()).isEqualTo("Q8_0");
        assertThat(q.shape()).as("outermost first").containsExactly(2L, 32L);
        assertThat(q.length()).isEqualTo(2 * 34);
        assertThat(h.tensors().get(2).dtype()).isEqualTo("Q4_0");
        assertThat(h.tensors().get(2).length()).isEqualTo(2 * 18);
        assertThat(h.tensors()).allSatisfy(t -> assertThat((t.offset() - h.dataOffset()) % 64).isZero());
        assertThat(TensorDigests.of(file)).hasSize(4);
        assertThat(TensorDigests.detect(file)).isEqualTo(TensorDigests.Format.GGUF);

        ModelFiles.GgufWriter v2 = model();
        v2.version = 2;
        Map<String, Consumer<ModelFiles.GgufWriter>> other = new LinkedHashMap<>();
        other.put("general.alignment", w -> w.u32(4).u32(64));
        other.put("general.name", w -> w.u32(8).str("same weights, other metadata"));
        Path rewritten = Files.write(dir.resolve("v2.gguf"), v2.bytes(other));
        assertThat(TensorDigests.of(rewritten)).extracting(TensorDigests.TensorDigest::digest)
                .containsExactlyElementsOf(TensorDigests.of(file).stream().map(TensorDigests.TensorDigest::digest).toList());
    }

    static void refused(Path dir, byte[] bytes, String problem) throws Exception {
        Path file = Files.write(dir.resolve("bad.gguf"), bytes);
        assertThatThrownBy(() -> Gguf.read(file)).isInstanceOf(MalformedModelException.class)
                .hasMessageContaining("bad.gguf").hasMessageContaining(problem);
    }

    @Test
    void hostileHeadersAreRefusedBeforeAnythingIsAllocated() throws Exception {
        byte[] ok = model().bytes(metadata());

        byte[] magic = ok.clone();
        magic[0] = 'X';
        refused(dir, magic, "magic");
        byte[] version = ok.clone();
        version[4] = 1;
        refused(dir, version, "version 1");

        ModelFiles.GgufWriter h = new ModelFiles.GgufWriter();
        h.out.writeBytes("GGUF".getBytes());
        h.u32(3).u64(Long.MAX_VALUE).u64(0).u64(0);
        refused(dir, h.out.toByteArray(), "tensors, more than");
        h.out.reset();
        h.out.writeBytes("GGUF".getBytes());
        h.u32(3).u64(0).u64(-1L).u64(0);
        refused(dir, h.out.toByteArray(), "metadata entries");
        h.out.reset();
        h.out.writeBytes("GGUF".getBytes());
        h.u32(3).u64(0).u64(1).u64(Long.MAX_VALUE).u64(0);
        refused(dir, h.out.toByteArray(), "more than the");

        // counts a large file could hold, still refused: memory must not grow with the file
        h.out.reset();
        h.out.writeBytes("GGUF".getBytes());
        h.u32(3).u64(Gguf.MAX_TENSORS + 1L).u64(0);
        h.out.writeBytes(new byte[24 * (Gguf.MAX_TENSORS + 1)]);
        refused(dir, h.out.toByteArray(), "tensors, more than " + Gguf.MAX_TENSORS);
        h.out.reset();
        h.out.writeBytes("GGUF".getBytes());
        h.u32(3).u64(0).u64(Gguf.MAX_METADATA + 1L);
        h.out.writeBytes(new byte[13 * (Gguf.MAX_METADATA + 1)]);
        refused(dir, h.out.toByteArray(), "metadata entries, more than " + Gguf.MAX_METADATA);
        String longName = "x".repeat(Gguf.MAX_NAME + 1);
        refused(dir, new ModelFiles.GgufWriter().tensor(longName, 0, new long[] {1}, new byte[4]).bytes(Map.of()),
                "tensor name 0 of 4097 bytes, longer than 4096");
        refused(dir, new ModelFiles.GgufWriter().tensor("x".repeat(Tensor.MAX_NAME + 1), 0, new long[] {1}, new byte[4]).bytes(Map.of()),
                "tensor name 0 of 1025 characters, not 1 to 1024");
        refused(dir, new ModelFiles.GgufWriter().tensor("", 0, new long[] {1}, new byte[4]).bytes(Map.of()), "tensor name 0 of 0 characters");
        refused(dir, new ModelFiles.GgufWriter().bytes(Map.of(longName, x -> x.u32(0).u64(0))), "metadata key 0 of 4097 bytes");

        refused(dir, new ModelFiles.GgufWriter().bytes(Map.of("a", x -> x.u32(9).u32(8).u64(1L << 60))), "elements in metadata a");
        refused(dir, new ModelFiles.GgufWriter().bytes(Map.of("a", x -> x.u32(9).u32(9).u64(1).u32(9).u64(1).u32(9).u64(1)
                .u32(9).u64(1).u32(9).u64(1).u32(0).u64(0))), "deeper than");
        refused(dir, new ModelFiles.GgufWriter().bytes(Map.of("a", x -> x.u32(13).u64(0))), "unknown value type 13");
        refused(dir, new ModelFiles.GgufWriter().bytes(Map.of("a", x -> { x.u32(7); x.out.write(2); x.u64(0); })), "boolean byte 2");
        refused(dir, new ModelFiles.GgufWriter().bytes(Map.of("general.alignment", x -> x.u32(4).u32(48))), "power of two");

        refused(dir, new ModelFiles.GgufWriter().tensor("t", 0, new long[] {1, 1, 1, 1, 1, 1, 1, 1, 1}, new byte[4]).bytes(Map.of()), "9 dimensions");
        refused(dir, new ModelFiles.GgufWriter().tensor("t", 0, new long[] {1L << 32, 1L << 32}, new byte[4]).bytes(Map.of()), "overflows");
        refused(dir, new ModelFiles.GgufWriter().tensor("t", 4, new long[] {4}, new byte[4]).bytes(Map.of()), "unknown type 4");
        refused(dir, new ModelFiles.GgufWriter().tensor("t", 8, new long[] {33}, new byte[34]).bytes(Map.of()), "blocks of 32");
        refused(dir, new ModelFiles.GgufWriter().tensor("t", 0, new long[] {1000}, new byte[4]).bytes(Map.of()), "past the end");
        ModelFiles.GgufWriter twice = new ModelFiles.GgufWriter().tensor("t", 0, new long[] {1}, new byte[4]).tensor("t", 0, new long[] {1}, new byte[4]);
        refused(dir, twice.bytes(Map.of()), "twice");
    }

    @Test
    void aLongMetadataStringIsKeptAsItsLength() throws Exception {
        String text = "t".repeat(10_000);
        Path file = Files.write(dir.resolve("long.gguf"), model().bytes(Map.of("general.license", w -> w.u32(8).str(text))));
        assertThat(Gguf.read(file).metadata()).containsEntry("general.license", new Gguf.LongString(10_000));
    }

    @Test
    void misalignedAndOverlappingTensorsAreRefused() throws Exception {
        ModelFiles.GgufWriter w = new ModelFiles.GgufWriter();
        w.tensor("a", 0, new long[] {16}, new byte[64]).tensor("b", 0, new long[] {16}, new byte[64]);
        byte[] bytes = w.bytes(Map.of());
        byte[] misaligned = bytes.clone();
        int offsetOfB = indexOf(bytes, "b".getBytes()) + 1 + 4 + 8 + 4;
        misaligned[offsetOfB] = 8;
        refused(dir, misaligned, "not a multiple of 32");
        byte[] overlapping = bytes.clone();
        overlapping[offsetOfB] = 32;
        refused(dir, overlapping, "overlapping");
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = hay.length - needle.length; i >= 0; i--) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            if (i >= 8 && hay[i - 8] == needle.length) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }

    @Test
    void everyTruncationIsRefusedAndRandomCorruptionNeverEscapes() throws Exception {
        byte[] good = model().bytes(metadata());
        for (int n = 0; n < good.length; n += (n < 400 ? 1 : 7)) {
            Path cut = Files.write(dir.resolve("cut.gguf"), java.util.Arrays.copyOf(good, n));
            assertThatThrownBy(() -> Gguf.read(cut)).as("cut at %d", n).isInstanceOf(MalformedModelException.class);
        }
        Random random = new Random(7);
        Path file = dir.resolve("fuzz.gguf");
        int refused = 0;
        for (int i = 0; i < 3_000; i++) {
            byte[] b = good.clone();
            for (int k = 1 + random.nextInt(4); k > 0; k--) {
                b[random.nextInt(Math.min(b.length, 600))] = (byte) random.nextInt(256);
            }
            Files.write(file, b);
            try {
                Gguf.read(file);
            } catch (MalformedModelException expected) {
                refused++;
            }
        }
        assertThat(refused).isGreaterThan(500);
    }
}
