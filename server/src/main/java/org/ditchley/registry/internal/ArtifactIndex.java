package org.ditchley.registry.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.ditchley.fingerprint.Digest;
import org.ditchley.fingerprint.ModelFingerprint;
import org.ditchley.fingerprint.Tensor;
import org.ditchley.fingerprint.TensorDigests;
import org.ditchley.fingerprint.TensorNames;
import org.ditchley.fingerprint.TensorSketch;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The artifact indexes: tensor digests and sketches by canonical tensor name, and sketched
 * shapes. Identification finds candidates through them and reads back only what it compares:
 * every tensor digest of a candidate (32 bytes each) and the sketches of the tensors chosen for
 * comparison, never whole stored fingerprints.
 */
@Component
class ArtifactIndex {

    /** One sketch as stored: canonical name, shape as {@code 4096x4096}, dtype, little-endian float32 values. */
    record Row(String name, String shape, String dtype, byte[] values) {
    }

    private final JdbcClient db;

    ArtifactIndex(JdbcClient db) {
        this.db = db;
    }

    static Row row(TensorSketch s) {
        float[] v = s.values();
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putFloat(x);
        }
        return new Row(TensorNames.canonical(s.name()), shape(s.shape()), s.dtype(), b.array());
    }

    static String shape(List<Long> shape) {
        return String.join("x", shape.stream().map(String::valueOf).toList());
    }

    private static List<Long> shape(String text) {
        return Arrays.stream(text.split("x")).map(Long::valueOf).toList();
    }

    /** Indexes artifact {@code id}: its tensor digests by canonical name (each name once), its sketches and their shapes. */
    void add(UUID id, ModelFingerprint f) {
        int n = f.tensors().size();
        String[] names = new String[n];
        byte[][] digests = new byte[n][];
        for (int i = 0; i < n; i++) {
            names[i] = TensorNames.canonical(f.tensors().get(i).tensor().name());
            digests[i] = f.tensors().get(i).digest().bytes();
        }
        if (n > 0) {
            db.sql("insert into artifact_tensor (artifact_id, name, digest) select ?, * from unnest(?::text[], ?::bytea[])")
                    .params(id, names, digests).update();
        }
        Map<String, Row> rows = new LinkedHashMap<>();
        f.sketches().forEach(s -> rows.putIfAbsent(TensorNames.canonical(s.name()), row(s)));
        if (!rows.isEmpty()) {
            List<Row> list = List.copyOf(rows.values());
            db.sql("insert into artifact_sketch (artifact_id, name, shape, dtype, vals) select ?, * from unnest(?::text[], ?::text[], ?::text[], ?::bytea[])")
                    .params(id, list.stream().map(Row::name).toArray(String[]::new), list.stream().map(Row::shape).toArray(String[]::new),
                            list.stream().map(Row::dtype).toArray(String[]::new), list.stream().map(Row::values).toArray(byte[][]::new))
                    .update();
            db.sql("insert into artifact_shape (artifact_id, shape) select distinct ?, s from unnest(?::text[]) s")
                    .params(id, list.stream().map(Row::shape).distinct().toArray(String[]::new)).update();
        }
    }

    /**
     * The stored fingerprints of {@code artifacts}, for comparison: all tensor digests (by
     * canonical name; a stored tensor's dtype, shape and place are not kept and read as unknown)
     * and the sketches of tensors named {@code sketched}.
     */
    Map<UUID, ModelFingerprint> fingerprints(List<UUID> artifacts, List<String> sketched) {
        UUID[] ids = artifacts.toArray(UUID[]::new);
        Map<UUID, List<TensorDigests.TensorDigest>> tensors = new HashMap<>();
        db.sql("select artifact_id, name, digest from artifact_tensor where artifact_id = any(?)").param(ids)
                .query(rs -> {
                    tensors.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>()).add(new TensorDigests.TensorDigest(
                            new Tensor(rs.getString(2), "stored", List.of(), 0, 0), Digest.of(rs.getBytes(3))));
                });
        Map<UUID, List<TensorSketch>> sketches = new HashMap<>();
        db.sql("select artifact_id, name, shape, dtype, vals from artifact_sketch where artifact_id = any(?) and name = any(?)")
                .params(ids, sketched.toArray(String[]::new))
                .query(rs -> {
                    ByteBuffer b = ByteBuffer.wrap(rs.getBytes(5)).order(ByteOrder.LITTLE_ENDIAN);
                    float[] v = new float[b.remaining() / 4];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = b.getFloat();
                    }
                    sketches.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>())
                            .add(new TensorSketch(rs.getString(2), shape(rs.getString(3)), rs.getString(4), v));
                });
        Map<UUID, ModelFingerprint> out = new HashMap<>();
        for (UUID id : artifacts) {
            out.put(id, new ModelFingerprint(tensors.getOrDefault(id, List.of()), sketches.getOrDefault(id, List.of())));
        }
        return out;
    }
}
