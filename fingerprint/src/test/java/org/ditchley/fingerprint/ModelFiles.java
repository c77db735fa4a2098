package org.ditchley.fingerprint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes real safetensors and GGUF files for tests, byte by byte as their specifications lay them out. */
public final class ModelFiles {

    /** A tensor to write: name, dtype, shape outermost first, raw bytes. */
    public record Data(String name, String dtype, long[] shape, byte[] bytes) {
    }

    private ModelFiles() {
    }

    public static byte[] f32(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    /** A safetensors file with the tensors in the given order, optional metadata and header padding. */
    public static Path safetensors(Path file, List<Data> tensors, Map<String, String> metadata, int padding) throws IOException {
        StringBuilder header = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            header.append("\"__metadata__\":{");
            List<String> parts = new ArrayList<>();
            metadata.forEach((k, v) -> parts.add("\"" + k + "\":\"" + v + "\""));
            header.append(String.join(",", parts)).append("},");
        }
        long at = 0;
        List<String> parts = new ArrayList<>();
        for (Data t : tensors) {
            StringBuilder shape = new StringBuilder();
            for (long d : t.shape()) {
                shape.append(shape.length() == 0 ? "" : ",").append(d);
            }
            parts.add("\"" + t.name() + "\":{\"dtype\":\"" + t.dtype() + "\",\"shape\":[" + shape + "],\"data_offsets\":[" + at + ","
                    + (at + t.bytes().length) + "]}");
            at += t.bytes().length;
        }
        header.append(String.join(",", parts)).append("}").append(" ".repeat(padding));
        return raw(file, header.toString(), tensors);
    }

    /** A safetensors file with exactly this header text over the tensors' bytes. */
    public static Path raw(Path file, String header, List<Data> tensors) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
        out.writeBytes(h);
        tensors.forEach(t -> out.writeBytes(t.bytes()));
        Files.write(file, out.toByteArray());
        return file;
    }

    /** Little-endian GGUF writer. */
    public static final class GgufWriter {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final Map<String, Object[]> metadata = new LinkedHashMap<>();
        final List<Object[]> tensors = new ArrayList<>();
        int alignment = 32;
        int version = 3;

        GgufWriter u32(long v) {
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
            return this;
        }

        GgufWriter u64(long v) {
            out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
            return this;
        }

        GgufWriter str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u64(b.length);
            out.writeBytes(b);
            return this;
        }

        /** Adds a tensor; {@code innermostFirst} as GGUF stores dimensions. */
        GgufWriter tensor(String name, int type, long[] innermostFirst, byte[] bytes) {
            tensors.add(new Object[] {name, type, innermostFirst, bytes});
            return this;
        }

        byte[] bytes(Map<String, java.util.function.Consumer<GgufWriter>> kv) {
            out.reset();
            out.writeBytes("GGUF".getBytes(StandardCharsets.US_ASCII));
            u32(version).u64(tensors.size()).u64(kv.size());
            kv.forEach((k, writer) -> {
                str(k);
                writer.accept(this);
            });
            long offset = 0;
            List<Long> offsets = new ArrayList<>();
            for (Object[] t : tensors) {
                long[] dims = (long[]) t[2];
                str((String) t[0]).u32(dims.length);
                for (long d : dims) {
                    u64(d);
                }
                u32((Integer) t[1]).u64(offset);
                offsets.add(offset);
                offset += ((byte[]) t[3]).length;
                offset = (offset + alignment - 1) / alignment * alignment;
            }
            while (out.size() % alignment != 0) {
                out.write(0);
            }
            long base = out.size();
            for (int i = 0; i < tensors.size(); i++) {
                while (out.size() < base + offsets.get(i)) {
                    out.write(0);
                }
                out.writeBytes((byte[]) tensors.get(i)[3]);
            }
            return out.toByteArray();
        }
    }
}
