package org.ditchley.registry.internal;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.ditchley.registry.Deployments;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The registry's answers to {@link Deployments}, straight from its tables. */
@Component
class DeploymentDirectory implements Deployments {

    private static final String SELECT = """
            select d.id, d.organisation_id, d.model_id, m.name, d.status, d.artifact_id, a.manifest_digest, d.agent_key
              from deployment d join model m on m.id = d.model_id left join artifact a on a.id = d.artifact_id
            """;

    /** A deployment row, before its model's risk tier is known. */
    private record Row(UUID id, UUID organisationId, UUID modelId, String modelName, String status, UUID artifactId,
                       String manifestDigest, String agentKey) {
    }

    private final JdbcClient db;
    private final ModelService models;
    /** Whether each model crosses a frontier threshold, for a few seconds: license requests ask it thousands of times a second. */
    private final com.github.benmanes.caffeine.cache.Cache<UUID, Boolean> frontier = com.github.benmanes.caffeine.cache.Caffeine.newBuilder()
            .maximumSize(100_000).expireAfterWrite(java.time.Duration.ofSeconds(10)).build();

    DeploymentDirectory(JdbcClient db, ModelService models) {
        this.db = db;
        this.models = models;
    }

    @Override
    public Optional<Copy> find(UUID deploymentId) {
        return db.sql(SELECT + " where d.id = ?").param(deploymentId).query(DeploymentDirectory::row).optional().map(this::copy);
    }

    @Override
    public List<Copy> byIds(Collection<UUID> ids) {
        return copies(db.sql(SELECT + " where d.id = any(?)").param(ids.toArray(UUID[]::new)).query(DeploymentDirectory::row).list());
    }

    @Override
    public List<Copy> ofModels(Collection<UUID> modelIds) {
        return copies(db.sql(SELECT + " where d.model_id = any(?)").param(modelIds.toArray(UUID[]::new)).query(DeploymentDirectory::row).list());
    }

    @Override
    public List<Copy> ofArtifacts(Collection<UUID> artifacts) {
        return copies(db.sql(SELECT + " where d.artifact_id = any(?)").param(artifacts.toArray(UUID[]::new)).query(DeploymentDirectory::row).list());
    }

    @Override
    public Set<UUID> withDescendants(UUID modelId) {
        return new HashSet<>(db.sql("""
                with recursive edge(child, parent) as (
                    select child_id, parent_id from model_parent
                    union all select child_model_id, parent_model_id from detected_lineage
                ), down(id) as (
                    select ?::uuid
                    union select e.child from edge e join down on e.parent = down.id
                ) select id from down""").param(modelId).query(UUID.class).list());
    }

    @Override
    public Set<String> manifestDigestsOfModels(Collection<UUID> modelIds) {
        return new HashSet<>(db.sql("select manifest_digest from artifact where model_id = any(?) and manifest_digest is not null")
                .param(modelIds.toArray(UUID[]::new)).query(String.class).list());
    }

    @Override
    public Set<String> manifestDigestsOfArtifacts(Collection<UUID> artifacts) {
        return new HashSet<>(db.sql("select manifest_digest from artifact where id = any(?) and manifest_digest is not null")
                .param(artifacts.toArray(UUID[]::new)).query(String.class).list());
    }

    @Override
    public boolean modelExists(UUID modelId) {
        return db.sql("select exists (select 1 from model where id = ?)").param(modelId).query(Boolean.class).single();
    }

    @Override
    public Set<UUID> unknownArtifacts(Collection<UUID> ids) {
        Set<UUID> unknown = new HashSet<>(ids);
        unknown.removeAll(db.sql("select id from artifact where id = any(?)").param(ids.toArray(UUID[]::new)).query(UUID.class).list());
        return unknown;
    }

    // rows are read in full before any model is looked up, so a lookup never waits for a second connection
    private static Row row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new Row(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class), rs.getString(4),
                rs.getString(5), rs.getObject(6, UUID.class), rs.getString(7), rs.getString(8));
    }

    private List<Copy> copies(List<Row> rows) {
        return rows.stream().map(this::copy).toList();
    }

    private Copy copy(Row r) {
        boolean crosses = frontier.get(r.modelId(), id -> models.frontier(models.get(id)));
        return new Copy(r.id(), r.organisationId(), r.modelId(), r.modelName(), r.status(), r.artifactId(), r.manifestDigest(),
                r.agentKey(), crosses);
    }
}
