package org.ditchley.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.ditchley.fingerprint.FingerprintJson;
import org.ditchley.fingerprint.ModelFingerprint;
import org.ditchley.fingerprint.TensorNames;
import org.ditchley.fingerprint.TensorSketch;
import org.ditchley.fingerprint.Transformers;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Migration V9 fills the per-tensor sketch table in from the fingerprints of artifacts registered
 * before it existed: a node that upgrades identifies them as before.
 */
class ArtifactSketchMigrationTests {

    @TempDir
    Path dir;

    @Test
    void sketchesOfExistingArtifactsAreFilledInWithTheirCanonicalNames() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            var ds = pg.getPostgresDatabase();
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("8").load().migrate();
            JdbcClient db = JdbcClient.create(ds);
            UUID org = db.sql("insert into organisation (name, kind, jurisdiction) values ('Lab', 'DEVELOPER', 'GB') returning id")
                    .query(UUID.class).single();
            UUID model = db.sql("insert into model (organisation_id, name, modality, status) values (?, 'Old model', 'language', 'REGISTERED') returning id")
                    .param(org).query(UUID.class).single();
            ModelFingerprint gguf = ModelFingerprint.of(List.of(Transformers.gguf(dir.resolve("m.gguf"), Transformers.model(3), 8)));
            String json = JsonMapper.builder().build().writeValueAsString(FingerprintJson.write(gguf));
            UUID artifact = db.sql("""
                    insert into artifact (model_id, organisation_id, name, fingerprint, registered_by)
                    values (?, ?, 'old release', ?::jsonb, ?) returning id""").params(model, org, json, UUID.randomUUID())
                    .query(UUID.class).single();

            Flyway.configure().dataSource(ds).locations("classpath:db/migration").javaMigrations(new V9__Artifact_sketches())
                    .target("9").load().migrate();

            List<Map<String, Object>> rows = db.sql("select name, shape, dtype, vals from artifact_sketch where artifact_id = ? order by name")
                    .param(artifact).query().listOfRows();
            assertThat(rows).hasSize(gguf.sketches().size()).isNotEmpty();
            TensorSketch first = gguf.sketches().stream()
                    .min(java.util.Comparator.comparing(s -> TensorNames.canonical(s.name()))).orElseThrow();
            Map<String, Object> row = rows.get(0);
            assertThat(row.get("name")).as("the canonical (Hugging Face) name, not llama.cpp's").isEqualTo(TensorNames.canonical(first.name()));
            assertThat((String) row.get("name")).doesNotStartWith("blk.");
            assertThat(row.get("shape")).isEqualTo(String.join("x", first.shape().stream().map(String::valueOf).toList()));
            assertThat(row.get("vals")).isEqualTo(ArtifactIndex.row(first).values());
        }
    }
}
