package org.ditchley.fingerprint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * Small transformer-shaped models (Llama layout: embeddings, per-layer attention and MLP
 * matrices and norms, final norm, LM head) with trained-like Gaussian weights, and the
 * derivatives that the fingerprint must recognise, written as real safetensors and GGUF files.
 */
public final class Transformers {

    public static final int HIDDEN = 64;
    public static final int FFN = 128;
    public static final int VOCAB = 256;
    public static final int LAYERS = 2;

    /** Weights by Hugging Face name, with shapes outermost first. */
    public record Model(Map<String, float[]> weights, Map<String, long[]> shapes) {
        Model map(UnaryOperator<float[]> matrices) {
            Map<String, float[]> w = new LinkedHashMap<>();
            weights.forEach((k, v) -> w.put(k, shapes.get(k).length >= 2 ? matrices.apply(v.clone()) : v.clone()));
            return new Model(w, shapes);
        }
    }

    private Transformers() {
    }

    public static Model model(long seed) {
        Random r = new Random(seed);
        Map<String, float[]> w = new LinkedHashMap<>();
        Map<String, long[]> s = new LinkedHashMap<>();
        add(w, s, r, "model.embed_tokens.weight", VOCAB, HIDDEN);
        for (int l = 0; l < LAYERS; l++) {
            String p = "model.layers." + l + ".";
            for (String m : List.of("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj")) {
                add(w, s, r, p + m + ".weight", HIDDEN, HIDDEN);
            }
            add(w, s, r, p + "mlp.gate_proj.weight", FFN, HIDDEN);
            add(w, s, r, p + "mlp.up_proj.weight", FFN, HIDDEN);
            add(w, s, r, p + "mlp.down_proj.weight", HIDDEN, FFN);
            norm(w, s, r, p + "input_layernorm.weight");
            norm(w, s, r, p + "post_attention_layernorm.weight");
        }
        norm(w, s, r, "model.norm.weight");
        add(w, s, r, "lm_head.weight", VOCAB, HIDDEN);
        return new Model(w, s);
    }

    private static void add(Map<String, float[]> w, Map<String, long[]> s, Random r, String name, int rows, int cols) {
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (0.02 * r.nextGaussian());
        }
        w.put(name, v);
        s.put(name, new long[] {rows, cols});
    }

    private static void norm(Map<String, float[]> w, Map<String, long[]> s, Random r, String name) {
        float[] v = new float[HIDDEN];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (1 + 0.01 * r.nextGaussian());
        }
        w.put(name, v);
        s.put(name, new long[] {HIDDEN});
    }

    /** Every matrix value moved by Gaussian noise of {@code scale} (a fraction of the weights' 0.02). */
    public static Model fineTune(Model base, long seed, double scale) {
        Random r = new Random(seed);
        return base.map(v -> {
            for (int i = 0; i < v.length; i++) {
                v[i] += (float) (0.02 * scale * r.nextGaussian());
            }
            return v;
        });
    }

    /** A rank-4 low-rank update B·A merged into every matrix, as applying a LoRA adapter does. */
    public static Model adapter(Model base, long seed) {
        Random r = new Random(seed);
        Map<String, float[]> w = new LinkedHashMap<>();
        base.weights().forEach((k, v) -> {
            long[] shape = base.shapes().get(k);
            float[] out = v.clone();
            if (shape.length == 2) {
                int rows = (int) shape[0];
                int cols = (int) shape[1];
                double[][] b = gaussian(r, rows, 4, 0.02);
                double[][] a = gaussian(r, 4, cols, 0.02);
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < cols; j++) {
                        double d = 0;
                        for (int k2 = 0; k2 < 4; k2++) {
                            d += b[i][k2] * a[k2][j];
                        }
                        out[i * cols + j] += (float) (d * 2);
                    }
                }
            }
            w.put(k, out);
        });
        return new Model(w, base.shapes());
    }

    private static double[][] gaussian(Random r, int rows, int cols, double sd) {
        double[][] m = new double[rows][cols];
        for (double[] row : m) {
            for (int j = 0; j < cols; j++) {
                row[j] = sd * r.nextGaussian();
            }
        }
        return m;
    }

    /** The weighted average of two models, as model-merging tools make. */
    public static Model merge(Model a, Model b, float weightOfA) {
        Map<String, float[]> w = new LinkedHashMap<>();
        a.weights().forEach((k, v) -> {
            float[] u = b.weights().get(k);
            float[] out = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                out[i] = weightOfA * v[i] + (1 - weightOfA) * u[i];
            }
            w.put(k, out);
        });
        return new Model(w, a.shapes());
    }

    /** {@code model} with {@code tensor} taken from {@code donor}. */
    public static Model withTensor(Model model, Model donor, String tensor) {
        Map<String, float[]> w = new LinkedHashMap<>(model.weights());
        w.put(tensor, donor.weights().get(tensor).clone());
        return new Model(w, model.shapes());
    }

    public static Path safetensors(Path file, Model m, boolean reversed, Map<String, String> metadata) throws IOException {
        List<ModelFiles.Data> data = new ArrayList<>();
        m.weights().forEach((k, v) -> data.add(new ModelFiles.Data(k, "F32", m.shapes().get(k), ModelFiles.f32(v))));
        if (reversed) {
            java.util.Collections.reverse(data);
        }
        return ModelFiles.safetensors(file, data, metadata, 0);
    }

    /** A GGUF file with llama.cpp's tensor names; matrices as {@code ggmlType} (0 F32, 8 Q8_0, 2 Q4_0), norms as F32. */
    public static Path gguf(Path file, Model m, int ggmlType) throws IOException {
        ModelFiles.GgufWriter w = new ModelFiles.GgufWriter();
        m.weights().forEach((k, v) -> {
            long[] shape = m.shapes().get(k);
            long[] dims = new long[shape.length];
            for (int i = 0; i < shape.length; i++) {
                dims[i] = shape[shape.length - 1 - i];
            }
            int type = shape.length >= 2 ? ggmlType : 0;
            byte[] bytes = switch (type) {
                case 8 -> q80(v);
                case 2 -> q40(v);
                default -> ModelFiles.f32(v);
            };
            w.tensor(ggufName(k), type, dims, bytes);
        });
        Map<String, java.util.function.Consumer<ModelFiles.GgufWriter>> kv = new LinkedHashMap<>();
        kv.put("general.architecture", x -> x.u32(8).str("llama"));
        Files.write(file, w.bytes(kv));
        return file;
    }

    public static String ggufName(String hf) {
        for (String candidate : List.of("token_embd.weight", "output_norm.weight", "output.weight")) {
            if (TensorNames.canonical(candidate).equals(hf)) {
                return candidate;
            }
        }
        for (int l = 0; l < LAYERS; l++) {
            for (String part : TensorNames.known()) {
                String g = "blk." + l + "." + part + ".weight";
                if (TensorNames.canonical(g).equals(hf)) {
                    return g;
                }
            }
        }
        return hf;
    }

    public static byte[] q80(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length / 32 * 34).order(ByteOrder.LITTLE_ENDIAN);
        for (int block = 0; block < v.length / 32; block++) {
            float amax = 0;
            for (int j = 0; j < 32; j++) {
                amax = Math.max(amax, Math.abs(v[block * 32 + j]));
            }
            short d = half(amax / 127);
            float dd = Values.half(d);
            b.putShort(d);
            for (int j = 0; j < 32; j++) {
                b.put((byte) (dd == 0 ? 0 : Math.round(v[block * 32 + j] / dd)));
            }
        }
        return b.array();
    }

    public static byte[] q40(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length / 32 * 18).order(ByteOrder.LITTLE_ENDIAN);
        for (int block = 0; block < v.length / 32; block++) {
            float amax = 0;
            for (int j = 0; j < 32; j++) {
                amax = Math.max(amax, Math.abs(v[block * 32 + j]));
            }
            short d = half(amax / 7);
            float dd = Values.half(d);
            b.putShort(d);
            int[] q = new int[32];
            for (int j = 0; j < 32; j++) {
                q[j] = dd == 0 ? 8 : Math.max(0, Math.min(15, Math.round(v[block * 32 + j] / dd) + 8));
            }
            for (int j = 0; j < 16; j++) {
                b.put((byte) (q[j] | (q[j + 16] << 4)));
            }
        }
        return b.array();
    }

    /** float to IEEE binary16, rounding to nearest (normal range, as weights are). */
    public static short half(float f) {
        int bits = Float.floatToIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = ((bits >>> 23) & 0xff) - 127 + 15;
        int mantissa = bits & 0x7fffff;
        if (exponent <= 0) {
            return (short) sign;
        }
        int h = sign | (exponent << 10) | (mantissa >>> 13);
        if ((mantissa & 0x1000) != 0) {
            h++;
        }
        return (short) h;
    }
}
