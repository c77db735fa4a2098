package org.ditchley.fingerprint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON form of a {@link ModelFingerprint}, as the CLI writes it and a node reads it:
 * <pre>{"tensors": [{"name", "dtype", "shape": [..], "offset", "length", "digest": hex}],
 *  "sketches": [{"name", "dtype", "shape": [..], "values": base64 of 1024 little-endian float32}]}</pre>
 * Reading checks every member and bounds every list, so a hostile document is refused with the
 * member it breaks.
 */
public final class FingerprintJson {

    public static final int MAX_TENSORS = 100_000;
    public static final int MAX_NAME = Tensor.MAX_NAME;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private FingerprintJson() {
    }

    public static ObjectNode write(ModelFingerprint f) {
        ObjectNode root = JSON.objectNode();
        ArrayNode tensors = root.putArray("tensors");
        for (TensorDigests.TensorDigest d : f.tensors()) {
            ObjectNode t = tensors.addObject();
            t.put("name", d.tensor().name()).put("dtype", d.tensor().dtype());
            ArrayNode shape = t.putArray("shape");
            d.tensor().shape().forEach(shape::add);
            t.put("offset", d.tensor().offset()).put("length", d.tensor().length()).put("digest", d.digest().hex());
        }
        ArrayNode sketches = root.putArray("sketches");
        for (TensorSketch s : f.sketches()) {
            ObjectNode o = sketches.addObject();
            o.put("name", s.name()).put("dtype", s.dtype());
            ArrayNode shape = o.putArray("shape");
            s.shape().forEach(shape::add);
            ByteBuffer b = ByteBuffer.allocate(4 * s.values().length).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : s.values()) {
                b.putFloat(v);
            }
            o.put("values", Base64.getEncoder().encodeToString(b.array()));
        }
        return root;
    }

    /** Reads a fingerprint; the exception names the member that is wrong. */
    public static ModelFingerprint read(JsonNode root) throws MalformedModelException {
        if (root == null || !root.isObject()) {
            throw new MalformedModelException("fingerprint: not a JSON object");
        }
        List<TensorDigests.TensorDigest> tensors = new ArrayList<>();
        for (JsonNode t : list(root, "tensors")) {
            String name = text(t, "name", "tensors[].name");
            Digest digest;
            try {
                digest = Digest.fromHex(text(t, "digest", "tensors[].digest"));
            } catch (IllegalArgumentException e) {
                throw new MalformedModelException("fingerprint: tensors[].digest of " + name + " is not 64 hex digits");
            }
            Tensor tensor = new Tensor(name, text(t, "dtype", "tensors[].dtype"), shape(t, name),
                    natural(t, "offset", name), natural(t, "length", name));
            tensors.add(new TensorDigests.TensorDigest(tensor, digest));
        }
        List<TensorSketch> sketches = new ArrayList<>();
        for (JsonNode s : list(root, "sketches")) {
            String name = text(s, "name", "sketches[].name");
            byte[] raw;
            try {
                JsonNode values = s.get("values");
                if (values == null || !values.isString() || values.asString().length() > 8 * Sketches.SAMPLES) {
                    throw new MalformedModelException("fingerprint: sketches[].values of " + name + " is not a base64 string");
                }
                raw = Base64.getDecoder().decode(values.asString());
            } catch (IllegalArgumentException e) {
                throw new MalformedModelException("fingerprint: sketches[].values of " + name + " is not base64");
            }
            if (raw.length != 4 * Sketches.SAMPLES) {
                throw new MalformedModelException("fingerprint: sketches[].values of " + name + " is not " + Sketches.SAMPLES + " float32 values");
            }
            ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
            float[] values = new float[Sketches.SAMPLES];
            for (int i = 0; i < values.length; i++) {
                values[i] = b.getFloat();
                if (!Float.isFinite(values[i])) {
                    throw new MalformedModelException("fingerprint: sketches[].values of " + name + " holds a value that is not finite");
                }
            }
            sketches.add(new TensorSketch(name, shape(s, name), text(s, "dtype", "sketches[].dtype"), values));
        }
        return new ModelFingerprint(tensors, sketches);
    }

    private static JsonNode list(JsonNode root, String member) throws MalformedModelException {
        JsonNode list = root.get(member);
        if (list == null || list.isNull()) {
            return JSON.arrayNode();
        }
        if (!list.isArray() || list.size() > MAX_TENSORS) {
            throw new MalformedModelException("fingerprint: " + member + " is not a list of at most " + MAX_TENSORS);
        }
        return list;
    }

    private static String text(JsonNode node, String member, String what) throws MalformedModelException {
        JsonNode v = node == null || !node.isObject() ? null : node.get(member);
        if (v == null || !v.isString() || v.asString().isEmpty() || v.asString().length() > MAX_NAME) {
            throw new MalformedModelException("fingerprint: " + what + " is not a string of 1 to " + MAX_NAME + " characters");
        }
        return v.asString();
    }

    private static List<Long> shape(JsonNode node, String name) throws MalformedModelException {
        JsonNode shape = node.get("shape");
        if (shape == null || !shape.isArray() || shape.size() > 8) {
            throw new MalformedModelException("fingerprint: shape of " + name + " is not a list of up to 8 dimensions");
        }
        List<Long> out = new ArrayList<>();
        long product = 1;
        for (JsonNode d : shape) {
            if (!d.isIntegralNumber() || !d.canConvertToLong() || d.asLong() < 0) {
                throw new MalformedModelException("fingerprint: shape of " + name + " has a dimension that is not a non-negative integer");
            }
            try {
                product = Math.multiplyExact(product, d.asLong());
            } catch (ArithmeticException e) {
                throw new MalformedModelException("fingerprint: shape of " + name + " overflows 64 bits");
            }
            out.add(d.asLong());
        }
        return out;
    }

    private static long natural(JsonNode node, String member, String name) throws MalformedModelException {
        JsonNode v = node.get(member);
        if (v == null) {
            return 0;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
            throw new MalformedModelException("fingerprint: " + member + " of " + name + " is not a non-negative integer");
        }
        return v.asLong();
    }
}
