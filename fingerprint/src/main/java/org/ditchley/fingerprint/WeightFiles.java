package org.ditchley.fingerprint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The weight files of a model file or directory: those that are safetensors or GGUF by their first bytes, in path order. */
public final class WeightFiles {

    private WeightFiles() {
    }

    public static List<Path> of(Path model, ModelHasher.Options options) throws IOException, MalformedModelException {
        List<Path> out = new ArrayList<>();
        for (Path file : ModelHasher.files(model, options)) {
            if (TensorDigests.detect(file) != null) {
                out.add(file);
            }
        }
        out.sort((a, b) -> PathOrder.INSTANCE.compare(a.toString(), b.toString()));
        return out;
    }
}
