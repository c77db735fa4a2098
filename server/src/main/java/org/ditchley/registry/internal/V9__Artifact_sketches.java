package org.ditchley.registry.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;
import org.ditchley.fingerprint.FingerprintJson;
import org.ditchley.fingerprint.MalformedModelException;
import org.ditchley.fingerprint.ModelFingerprint;
import org.ditchley.fingerprint.TensorSketch;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps each artifact's sketches in rows of their own, keyed by canonical tensor name, so that
 * identification reads only the sketches it compares instead of whole fingerprints; fills them
 * in for artifacts registered before. A Java migration because canonical names are computed by
 * the fingerprint library.
 */
@Component
class V9__Artifact_sketches extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        try (Statement s = c.createStatement()) {
            s.execute("""
                    create table artifact_sketch (
                        artifact_id uuid not null references artifact(id),
                        name        text not null,
                        shape       text not null,
                        dtype       text not null,
                        vals        bytea not null,
                        primary key (artifact_id, name)
                    )""");
        }
        JsonMapper json = JsonMapper.builder().build();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select id, fingerprint::text from artifact");
             PreparedStatement insert = c.prepareStatement(
                     "insert into artifact_sketch (artifact_id, name, shape, dtype, vals) values (?, ?, ?, ?, ?) on conflict do nothing")) {
            while (rs.next()) {
                ModelFingerprint f;
                try {
                    f = FingerprintJson.read(json.readTree(rs.getString(2)));
                } catch (MalformedModelException e) {
                    throw new IllegalStateException("stored fingerprint of artifact " + rs.getObject(1) + " is malformed", e);
                }
                for (TensorSketch sketch : f.sketches()) {
                    ArtifactIndex.Row row = ArtifactIndex.row(sketch);
                    insert.setObject(1, rs.getObject(1, UUID.class));
                    insert.setString(2, row.name());
                    insert.setString(3, row.shape());
                    insert.setString(4, row.dtype());
                    insert.setBytes(5, row.values());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
    }
}
