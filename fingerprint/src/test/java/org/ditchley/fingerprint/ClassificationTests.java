package org.ditchley.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of copy and derivative of a registered model, made as real files, is classified
 * correctly from fingerprints alone; no unrelated pair is ever called a derivative.
 */
class ClassificationTests {

    @TempDir
    static Path dir;

    static Transformers.Model base;
    static Path registeredFile;
    static ModelFingerprint registered;

    @BeforeAll
    static void register() throws Exception {
        base = Transformers.model(1);
        registeredFile = Transformers.safetensors(dir.resolve("base.safetensors"), base, false, Map.of("format", "pt"));
        registered = fingerprint(registeredFile);
    }

    static ModelFingerprint fingerprint(Path file) throws Exception {
        return ModelFingerprint.of(List.of(file));
    }

    static Verdict verdict(Path candidate) throws Exception {
        return Comparison.compare(fingerprint(candidate), registered, Files.mismatch(candidate, registeredFile) == -1);
    }

    @Test
    void anExactCopyIsIdentical() throws Exception {
        Path copy = Files.copy(registeredFile, dir.resolve("copy.safetensors"));
        assertThat(verdict(copy).kind()).isEqualTo(Verdict.Kind.IDENTICAL);
    }

    @Test
    void aReWrittenFileWithTheSameTensorsIsReEncoded() throws Exception {
        Path file = Transformers.safetensors(dir.resolve("reencoded.safetensors"), base, true, Map.of("note", "re-saved"));
        Verdict v = verdict(file);
        assertThat(v.kind()).as(v.evidence().toString()).isEqualTo(Verdict.Kind.RE_ENCODED);
        assertThat(v.tensors()).hasSize(base.weights().size()).allMatch(Verdict.TensorSimilarity::identical);
    }

    @Test
    void aFineTuneIsADerivative() throws Exception {
        Path file = Transformers.safetensors(dir.resolve("finetune.safetensors"), Transformers.fineTune(base, 2, 0.1), false, Map.of());
        Verdict v = verdict(file);
        assertThat(v.kind()).as(v.evidence().toString()).isEqualTo(Verdict.Kind.DERIVATIVE);
        assertThat(v.confidence()).isEqualTo(1.0);
        assertThat(v.tensors()).filteredOn(t -> !Double.isNaN(t.correlation())).as("every matrix changed")
                .hasSize(16).noneMatch(Verdict.TensorSimilarity::identical);
    }

    @Test
    void q80AndQ40QuantizationsInGgufAreDerivatives() throws Exception {
        for (int type : new int[] {8, 2}) {
            Path file = Transformers.gguf(dir.resolve("quant-" + type + ".gguf"), base, type);
            Verdict v = verdict(file);
            assertThat(v.kind()).as("type %d: %s", type, v.evidence()).isEqualTo(Verdict.Kind.DERIVATIVE);
            assertThat(v.tensors()).as("every tensor found under its llama.cpp name").hasSize(base.weights().size());
            assertThat(v.tensors().stream().filter(t -> !Double.isNaN(t.correlation())).mapToDouble(Verdict.TensorSimilarity::correlation).min()
                    .orElseThrow()).isGreaterThan(Comparison.DERIVED);
        }
    }

    @Test
    void anAppliedAdapterIsADerivative() throws Exception {
        Path file = Transformers.safetensors(dir.resolve("adapter.safetensors"), Transformers.adapter(base, 3), false, Map.of());
        Verdict v = verdict(file);
        assertThat(v.kind()).as(v.evidence().toString()).isEqualTo(Verdict.Kind.DERIVATIVE);
    }

    @Test
    void aMergeIsADerivativeOfBothParents() throws Exception {
        Transformers.Model other = Transformers.model(5);
        Path file = Transformers.safetensors(dir.resolve("merge.safetensors"), Transformers.merge(base, other, 0.5f), false, Map.of());
        Verdict v = verdict(file);
        assertThat(v.kind()).as(v.evidence().toString()).isEqualTo(Verdict.Kind.DERIVATIVE);
        ModelFingerprint otherParent = fingerprint(Transformers.safetensors(dir.resolve("parent2.safetensors"), other, false, Map.of()));
        assertThat(Comparison.compare(fingerprint(file), otherParent, false).kind()).isEqualTo(Verdict.Kind.DERIVATIVE);
    }

    @Test
    void aModelThatTookOnlyTheEmbeddingsSharesTensors() throws Exception {
        Transformers.Model other = Transformers.withTensor(Transformers.model(9), base, "model.embed_tokens.weight");
        Verdict v = verdict(Transformers.safetensors(dir.resolve("shares.safetensors"), other, false, Map.of()));
        assertThat(v.kind()).as(v.evidence().toString()).isEqualTo(Verdict.Kind.SHARES_TENSORS);
        assertThat(v.tensors()).filteredOn(Verdict.TensorSimilarity::identical).extracting(Verdict.TensorSimilarity::name)
                .containsExactly("model.embed_tokens.weight");
    }

    @Test
    void unrelatedModelsOfTheSameArchitectureAreNeverDerivatives() throws Exception {
        List<ModelFingerprint> models = new ArrayList<>();
        for (long seed = 100; seed < 106; seed++) {
            Transformers.Model m = Transformers.model(seed);
            models.add(fingerprint(Transformers.safetensors(dir.resolve("unrelated-" + seed + ".safetensors"), m, false, Map.of())));
            models.add(fingerprint(Transformers.gguf(dir.resolve("unrelated-" + seed + ".gguf"), m, 2)));
        }
        models.add(registered);
        for (int i = 0; i < models.size(); i++) {
            for (int j = 0; j < models.size(); j++) {
                boolean sameWeights = i == j || (i < models.size() - 1 && j < models.size() - 1 && i / 2 == j / 2);
                if (sameWeights) {
                    continue;
                }
                Verdict v = Comparison.compare(models.get(i), models.get(j), false);
                assertThat(v.kind()).as("%d vs %d: %s", i, j, v.evidence()).isEqualTo(Verdict.Kind.UNRELATED);
                assertThat(v.tensors()).filteredOn(t -> !Double.isNaN(t.correlation()))
                        .allSatisfy(t -> assertThat(Math.abs(t.correlation())).isLessThan(0.2));
            }
        }
    }
}
