package org.ditchley.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SafetensorsTests {

    @TempDir
    Path dir;

    static final ModelFiles.Data WQ = new ModelFiles.Data("model.layers.0.attn.q.weight", "F32", new long[] {2, 3},
            ModelFiles.f32(1, 2, 3, 4, 5, 6));
    static final ModelFiles.Data NORM = new ModelFiles.Data("model.norm.weight", "F16", new long[] {2}, new byte[] {0, 60, 0, 64});
    static final ModelFiles.Data EMPTY = new ModelFiles.Data("empty", "BF16", new long[] {0, 4}, new byte[0]);

    @Test
    void readsTensorsInOffsetOrderWithMetadataAndPadding() throws Exception {
        Path file = ModelFiles.safetensors(dir.resolve("m.safetensors"), List.of(WQ, EMPTY, NORM), Map.of("format", "pt"), 5);
        Safetensors.Header h = Safetensors.read(file);
        assertThat(h.metadata()).containsExactly(Map.entry("format", "pt"));
        assertThat(h.tensors()).extracting(Tensor::name).containsExactly("model.layers.0.attn.q.weight", "empty", "model.norm.weight");
        Tensor wq = h.tensors().get(0);
        assertThat(wq.dtype()).isEqualTo("F32");
        assertThat(wq.shape()).containsExactly(2L, 3L);
        assertThat(wq.offset()).isEqualTo(8 + h.headerLength());
        assertThat(wq.length()).isEqualTo(24);
        assertThat(h.tensors().get(2).end()).isEqualTo(Files.size(file));
    }

    @Test
    void tensorDigestsSurviveAReWriteAndNameWhatChanged() throws Exception {
        Path a = ModelFiles.safetensors(dir.resolve("a.safetensors"), List.of(WQ, NORM), Map.of(), 0);
        Path b = ModelFiles.safetensors(dir.resolve("b.safetensors"), List.of(NORM, WQ), Map.of("note", "re-saved"), 7);
        assertThat(Files.readAllBytes(a)).isNotEqualTo(Files.readAllBytes(b));
        Map<String, Digest> da = digests(a);
        assertThat(digests(b)).isEqualTo(da);

        byte[] changed = WQ.bytes().clone();
        changed[5] ^= 1;
        Path c = ModelFiles.safetensors(dir.resolve("c.safetensors"),
                List.of(new ModelFiles.Data(WQ.name(), "F32", WQ.shape(), changed), NORM), Map.of(), 0);
        Map<String, Digest> dc = digests(c);
        assertThat(dc.get(NORM.name())).isEqualTo(da.get(NORM.name()));
        assertThat(dc.get(WQ.name())).isNotEqualTo(da.get(WQ.name()));
        // the digest covers name, dtype and shape as well as bytes
        Path reshaped = ModelFiles.safetensors(dir.resolve("d.safetensors"),
                List.of(new ModelFiles.Data(WQ.name(), "F32", new long[] {3, 2}, WQ.bytes())), Map.of(), 0);
        assertThat(digests(reshaped).get(WQ.name())).isNotEqualTo(da.get(WQ.name()));
    }

    static Map<String, Digest> digests(Path file) throws Exception {
        Map<String, Digest> out = new java.util.HashMap<>();
        TensorDigests.of(file).forEach(d -> out.put(d.tensor().name(), d.digest()));
        return out;
    }

    static String entry(String name, String dtype, String shape, String offsets) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":" + offsets + "}";
    }

    static Stream<Arguments> badHeaders() {
        String ok = entry("w", "F32", "[2]", "[0,8]");
        return Stream.of(
                Arguments.of("not JSON", "{\"w\":", "not valid JSON"),
                Arguments.of("an array, not an object", "[1,2]", "start with '{'"),
                Arguments.of("deeply nested", "{\"w\":{\"extra\":" + "{\"a\":".repeat(50) + "1" + "}".repeat(52), "not valid JSON"),
                Arguments.of("nested metadata", "{\"__metadata__\":" + "{\"a\":".repeat(50) + "1" + "}".repeat(51), "not a string"),
                Arguments.of("a duplicate tensor", "{" + ok + "," + ok + "}", "not valid JSON"),
                Arguments.of("an unknown dtype", "{" + entry("w", "F12", "[2]", "[0,8]") + "}", "unknown dtype"),
                Arguments.of("a negative dimension", "{" + entry("w", "F32", "[-2]", "[0,8]") + "}", "non-negative"),
                Arguments.of("a fractional dimension", "{" + entry("w", "F32", "[2.5]", "[0,8]") + "}", "non-negative"),
                Arguments.of("a 400-digit dimension", "{" + entry("w", "F32", "[" + "9".repeat(400) + "]", "[0,8]") + "}", "JSON"),
                Arguments.of("a shape that overflows", "{" + entry("w", "F32", "[4294967296,4294967296]", "[0,8]") + "}", "overflows"),
                Arguments.of("a size that does not match", "{" + entry("w", "F32", "[3]", "[0,8]") + "}", "need 12"),
                Arguments.of("an end before its begin", "{" + entry("w", "F32", "[0]", "[8,0]") + "}", "before its begin"),
                Arguments.of("an offset past the file", "{" + entry("w", "F32", "[2]", "[8,16]") + "}", "hole"),
                Arguments.of("overlapping tensors", "{" + ok + "," + entry("v", "F32", "[1]", "[4,8]") + "}", "overlaps"),
                Arguments.of("a hole", "{" + entry("w", "F32", "[1]", "[4,8]") + "}", "hole of 4 bytes"),
                Arguments.of("bytes after the last tensor", "{" + entry("w", "F32", "[1]", "[0,4]") + "}", "4 bytes after"),
                Arguments.of("non-string metadata", "{\"__metadata__\":{\"a\":1}," + ok + "}", "not a string"),
                Arguments.of("a tensor that is a number", "{\"w\":3}", "other than an object"),
                Arguments.of("two __metadata__", "{\"__metadata__\":{},\"__metadata__\":{}," + ok + "}", "JSON"),
                Arguments.of("something after the object", "{" + ok + "} {}", "more after its JSON object"),
                Arguments.of("an empty tensor name", "{" + entry("", "F32", "[2]", "[0,8]") + "}", "tensor name of 0 characters"),
                Arguments.of("a 1025-character tensor name", "{" + entry("w".repeat(1025), "F32", "[2]", "[0,8]") + "}", "tensor name of 1025 characters"),
                Arguments.of("no data_offsets", "{\"w\":{\"dtype\":\"F32\",\"shape\":[2]}}", "data_offsets"));
    }

    @ParameterizedTest(name = "a header with {0}")
    @MethodSource("badHeaders")
    void aBadHeaderIsRefusedWithItsProblem(String what, String header, String problem) throws Exception {
        Path file = ModelFiles.raw(dir.resolve("bad.safetensors"), header, List.of(new ModelFiles.Data("w", "F32", new long[] {2}, new byte[8])));
        assertThatThrownBy(() -> Safetensors.read(file)).isInstanceOf(MalformedModelException.class)
                .hasMessageContaining("bad.safetensors").hasMessageContaining(problem);
    }

    @Test
    void absurdHeaderLengthsAreRefusedBeforeAnythingIsAllocated() throws Exception {
        for (long n : new long[] {Long.MIN_VALUE, -1, Safetensors.MAX_HEADER + 1, 1L << 40}) {
            Path file = dir.resolve("len.safetensors");
            Files.write(file, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(n).putLong(0).array());
            assertThatThrownBy(() -> Safetensors.read(file)).isInstanceOf(MalformedModelException.class).hasMessageContaining("header of");
        }
        Path longer = dir.resolve("longer.safetensors");
        Files.write(longer, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1000).putLong(0).array());
        assertThatThrownBy(() -> Safetensors.read(longer)).hasMessageContaining("has only 8");
        Path tiny = Files.write(dir.resolve("tiny.safetensors"), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> Safetensors.read(tiny)).hasMessageContaining("too short");
        Path latin1 = ModelFiles.raw(dir.resolve("latin1.safetensors"), "{}", List.of());
        byte[] bytes = Files.readAllBytes(latin1);
        bytes[9] = (byte) 0xff;
        Files.write(latin1, bytes);
        assertThatThrownBy(() -> Safetensors.read(latin1)).hasMessageContaining("not UTF-8");
    }

    @Test
    void moreTensorsThanTheLimitAreRefusedWhateverTheFileHolds() throws Exception {
        StringBuilder header = new StringBuilder("{");
        for (int i = 0; i <= Safetensors.MAX_TENSORS; i++) {
            header.append(i == 0 ? "" : ",").append(entry("t" + i, "U8", "[0]", "[0,0]"));
        }
        Path file = ModelFiles.raw(dir.resolve("many.safetensors"), header.append('}').toString(), List.of());
        assertThat(Files.size(file)).isLessThan(Safetensors.MAX_HEADER);
        assertThatThrownBy(() -> Safetensors.read(file)).isInstanceOf(MalformedModelException.class)
                .hasMessageContaining("more than " + Safetensors.MAX_TENSORS + " tensors");
    }

    @Test
    void everyTruncationIsRefused() throws Exception {
        byte[] good = Files.readAllBytes(ModelFiles.safetensors(dir.resolve("g.safetensors"), List.of(WQ, NORM), Map.of("a", "b"), 0));
        for (int n = 0; n < good.length; n++) {
            Path cut = Files.write(dir.resolve("cut.safetensors"), java.util.Arrays.copyOf(good, n));
            assertThatThrownBy(() -> Safetensors.read(cut)).as("cut at %d", n).isInstanceOf(MalformedModelException.class);
        }
    }

    @Test
    void randomCorruptionEndsInAResultOrAMalformedModelErrorAndNothingElse() throws Exception {
        byte[] good = Files.readAllBytes(ModelFiles.safetensors(dir.resolve("g.safetensors"), List.of(WQ, EMPTY, NORM), Map.of("a", "b"), 3));
        Random random = new Random(42);
        Path file = dir.resolve("fuzz.safetensors");
        int refused = 0;
        for (int i = 0; i < 3_000; i++) {
            byte[] b = good.clone();
            for (int k = 1 + random.nextInt(4); k > 0; k--) {
                int at = random.nextInt(random.nextBoolean() ? Math.min(b.length, 16) : b.length);
                b[at] = (byte) random.nextInt(256);
            }
            Files.write(file, b);
            try {
                Safetensors.read(file);
            } catch (MalformedModelException expected) {
                refused++;
            }
        }
        assertThat(refused).isGreaterThan(1_000);
    }
}
