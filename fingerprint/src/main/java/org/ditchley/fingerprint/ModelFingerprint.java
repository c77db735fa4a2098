package org.ditchley.fingerprint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What identifies a model's weights without the weights: the digest of every tensor and the
 * sketch of every large one, over all of a model's weight files. Small enough to send to a node.
 */
public record ModelFingerprint(List<TensorDigests.TensorDigest> tensors, List<TensorSketch> sketches) {

    public ModelFingerprint {
        tensors = List.copyOf(tensors);
        sketches = List.copyOf(sketches);
    }

    /** The fingerprint of weight files {@code files} (safetensors or GGUF) taken together. */
    public static ModelFingerprint of(List<Path> files) throws IOException, MalformedModelException {
        List<TensorDigests.TensorDigest> digests = new ArrayList<>();
        List<TensorSketch> sketches = new ArrayList<>();
        for (Path file : files) {
            ModelFingerprint one;
            try {
                one = Fingerprinter.run(file, ModelHasher.Options.files(), n -> { }).fingerprint();
            } catch (MalformedModelException e) {
                throw e;
            } catch (FingerprintException e) {
                throw new MalformedModelException(e.getMessage(), e);
            }
            digests.addAll(one.tensors());
            sketches.addAll(one.sketches());
        }
        return new ModelFingerprint(digests, sketches);
    }
}
