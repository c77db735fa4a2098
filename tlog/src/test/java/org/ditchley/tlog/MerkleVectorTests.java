package org.ditchley.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The transparency-dev/merkle proof vectors ({@code shared/testdata/merkle}), one test per file,
 * named by its {@code desc}: the verifier must agree with {@code wantErr} on every one.
 */
class MerkleVectorTests {

    static final Path VECTORS = Path.of(System.getProperty("ditchley.testdata", "../../shared/testdata"), "merkle");
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TestFactory
    Stream<DynamicTest> inclusion() throws IOException {
        return cases("inclusion").map(file -> DynamicTest.dynamicTest(name(file), () -> {
            JsonNode v = JSON.readTree(file.toFile());
            boolean wantErr = v.get("wantErr").asBoolean();
            var verify = assertThatCode(() -> MerkleProofs.verifyInclusion(uint64(v.get("leafIdx")),
                    uint64(v.get("treeSize")), hash(v.get("leafHash")), hashes(v.get("proof")), hash(v.get("root"))));
            if (wantErr) {
                verify.isInstanceOf(ProofException.class);
            } else {
                verify.doesNotThrowAnyException();
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> consistency() throws IOException {
        return cases("consistency").map(file -> DynamicTest.dynamicTest(name(file), () -> {
            JsonNode v = JSON.readTree(file.toFile());
            boolean wantErr = v.get("wantErr").asBoolean();
            var verify = assertThatCode(() -> MerkleProofs.verifyConsistency(uint64(v.get("size1")), uint64(v.get("size2")),
                    hashes(v.get("proof")), hash(v.get("root1")), hash(v.get("root2"))));
            if (wantErr) {
                verify.isInstanceOf(ProofException.class);
            } else {
                verify.doesNotThrowAnyException();
            }
        }));
    }

    @org.junit.jupiter.api.Test
    void thereAreVectorsToRun() throws IOException {
        assertThat(cases("inclusion").count() + cases("consistency").count()).isEqualTo(196);
    }

    static Stream<Path> cases(String kind) throws IOException {
        try (Stream<Path> files = Files.walk(VECTORS.resolve(kind))) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList().stream();
        }
    }

    static String name(Path file) {
        return VECTORS.relativize(file).toString();
    }

    /**
     * A vector's unsigned 64-bit number as the bits a {@code long} holds: values of 2^63 and more
     * come out negative, which the verifier refuses, as a uint64 beyond its range must be.
     */
    static long uint64(JsonNode node) {
        return node.bigIntegerValue().longValue();
    }

    /** A vector's hash as raw bytes: some are deliberately of the wrong length. */
    static byte[] hash(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        return java.util.Base64.getDecoder().decode(node.asString());
    }

    static List<byte[]> hashes(JsonNode array) {
        List<byte[]> list = new ArrayList<>();
        if (array != null && !array.isNull()) {
            array.forEach(n -> list.add(hash(n)));
        }
        return list;
    }
}
