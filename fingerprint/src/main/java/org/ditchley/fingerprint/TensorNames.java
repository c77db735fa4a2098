package org.ditchley.fingerprint;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One name for a tensor whichever format holds it: llama.cpp's GGUF names for Llama-family
 * models ({@code blk.N.attn_q.weight}) are mapped to the Hugging Face names
 * ({@code model.layers.N.self_attn.q_proj.weight}); other names are kept.
 */
public final class TensorNames {

    private static final Pattern BLOCK = Pattern.compile("blk\\.(\\d+)\\.([a-z_]+)\\.(weight|bias)");
    private static final Map<String, String> IN_BLOCK = Map.ofEntries(
            Map.entry("attn_q", "self_attn.q_proj"), Map.entry("attn_k", "self_attn.k_proj"),
            Map.entry("attn_v", "self_attn.v_proj"), Map.entry("attn_output", "self_attn.o_proj"),
            Map.entry("ffn_gate", "mlp.gate_proj"), Map.entry("ffn_up", "mlp.up_proj"),
            Map.entry("ffn_down", "mlp.down_proj"), Map.entry("attn_norm", "input_layernorm"),
            Map.entry("ffn_norm", "post_attention_layernorm"));
    private static final Map<String, String> TOP = Map.of(
            "token_embd.weight", "model.embed_tokens.weight", "output_norm.weight", "model.norm.weight",
            "output.weight", "lm_head.weight");

    private TensorNames() {
    }

    public static String canonical(String name) {
        String top = TOP.get(name);
        if (top != null) {
            return top;
        }
        Matcher m = BLOCK.matcher(name);
        if (m.matches() && IN_BLOCK.containsKey(m.group(2))) {
            return "model.layers." + m.group(1) + "." + IN_BLOCK.get(m.group(2)) + "." + m.group(3);
        }
        return name;
    }

    static List<String> known() {
        return List.copyOf(IN_BLOCK.keySet());
    }
}
