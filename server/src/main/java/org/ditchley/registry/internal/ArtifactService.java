package org.ditchley.registry.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.ditchley.fingerprint.Comparison;
import org.ditchley.fingerprint.FingerprintJson;
import org.ditchley.fingerprint.MalformedModelException;
import org.ditchley.fingerprint.ModelFingerprint;
import org.ditchley.fingerprint.OmsStatement;
import org.ditchley.fingerprint.TensorNames;
import org.ditchley.fingerprint.TensorSketch;
import org.ditchley.fingerprint.Verdict;
import org.ditchley.identity.Actor;
import org.ditchley.platform.InvalidInputException;
import org.ditchley.platform.NotFoundException;
import org.ditchley.registry.ArtifactRegistered;
import org.ditchley.registry.DerivativeDetected;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Artifacts of registered models, and identification of weights against them. An artifact is
 * registered with its model-signing statement and/or its fingerprint (per-tensor digests and
 * sketch); on registration it is compared with every other model's artifacts, and each copy or
 * derivative found is recorded as detected lineage, in the regulators' queue when its model does
 * not declare that parent (or a model related to it).
 *
 * <p>Weights show that two models are related, not which came first: a detected edge goes from
 * the artifact registered later to the one registered earlier.
 */
@Service
public class ArtifactService {

    /** Candidates compared per identification, found through the manifest, digest and shape indexes. */
    static final int CANDIDATES = 100;
    /** Sketched tensors compared per candidate, spread evenly over the submitted ones by name. */
    static final int COMPARED = 64;
    /** Serialises registrations, so that two registered at once still see each other. */
    private static final long REGISTRATION_LOCK = 0x4152544946414354L;

    public record Artifact(UUID id, UUID modelId, String modelName, UUID organisationId, String name, String manifestDigest,
                           int tensors, int sketches, Instant registeredAt) {
    }

    public record Match(UUID artifactId, String artifactName, UUID modelId, String modelName, Verdict.Kind kind,
                        double confidence, List<String> evidence) {
    }

    public record Registered(Artifact artifact, List<Match> detected) {
    }

    public record Detected(UUID parentModelId, String parentModelName, UUID artifactId, String verdict, double confidence,
                           boolean declared, Instant detectedAt) {
    }

    private final JdbcClient db;
    private final ArtifactIndex index;
    private final ModelService models;
    private final LineageStore lineage;
    private final ApplicationEventPublisher events;
    private final JsonMapper json;

    ArtifactService(JdbcClient db, ArtifactIndex index, ModelService models, LineageStore lineage, ApplicationEventPublisher events,
            JsonMapper json) {
        this.db = db;
        this.index = index;
        this.models = models;
        this.lineage = lineage;
        this.events = events;
        this.json = json;
    }

    /** What identifies a set of weights: a model-signing statement, a fingerprint, or both. */
    public record Evidence(String manifestDigest, ModelFingerprint fingerprint) {

        public static Evidence read(JsonNode statement, JsonNode fingerprint) {
            if ((statement == null || statement.isNull()) && (fingerprint == null || fingerprint.isNull())) {
                throw new InvalidInputException("fingerprint", "a statement, a fingerprint or both are required");
            }
            String digest = null;
            if (statement != null && !statement.isNull()) {
                try {
                    digest = OmsStatement.read(statement).subject().hex();
                } catch (MalformedModelException e) {
                    throw new InvalidInputException("statement", e.getMessage());
                }
            }
            ModelFingerprint f = new ModelFingerprint(List.of(), List.of());
            if (fingerprint != null && !fingerprint.isNull()) {
                try {
                    f = FingerprintJson.read(fingerprint);
                } catch (MalformedModelException e) {
                    throw new InvalidInputException("fingerprint", e.getMessage().replaceFirst("^fingerprint: ", ""));
                }
            }
            return new Evidence(digest, f);
        }
    }

    @Transactional
    public Registered register(Actor actor, UUID modelId, String name, JsonNode statement, JsonNode fingerprint) {
        Model model = models.get(modelId);
        if (!actor.memberOf(model.organisationId()) && !actor.isRegulator()) {
            throw new org.springframework.security.access.AccessDeniedException("model " + model.displayName() + " belongs to another organisation");
        }
        String cleanName = ModelDraft.text("name", name, 200, true);
        Evidence evidence = Evidence.read(statement, fingerprint);
        Set<String> names = new java.util.HashSet<>();
        for (var t : evidence.fingerprint().tensors()) {
            String canonical = TensorNames.canonical(t.tensor().name());
            if (!names.add(canonical)) {
                throw new InvalidInputException("fingerprint", "tensor " + canonical + " appears twice");
            }
        }
        db.sql("select 1 from pg_advisory_xact_lock(?)").param(REGISTRATION_LOCK).query(Integer.class).single();
        UUID id = db.sql("""
                insert into artifact (model_id, organisation_id, name, manifest_digest, statement, fingerprint, registered_by)
                values (?, ?, ?, ?, ?::jsonb, ?::jsonb, ?) returning id""")
                .params(model.id(), model.organisationId(), cleanName, evidence.manifestDigest(),
                        statement == null || statement.isNull() ? null : json.writeValueAsString(statement),
                        json.writeValueAsString(FingerprintJson.write(evidence.fingerprint())), actor.accountId())
                .query(UUID.class).single();
        index.add(id, evidence.fingerprint());
        events.publishEvent(new ArtifactRegistered(id, model.id(), model.organisationId(), evidence.manifestDigest(),
                evidence.fingerprint().tensors().size(), actor.accountId(), Instant.now()));

        List<Match> found = identify(evidence, id);
        Set<UUID> declared = new java.util.HashSet<>();
        lineage.ancestors(model.id()).forEach(r -> declared.add(r.id()));
        List<Match> detected = new ArrayList<>();
        for (Match m : found) {
            if (m.modelId().equals(model.id()) || m.kind() == Verdict.Kind.SHARES_TENSORS) {
                continue;
            }
            boolean isDeclared = declared.contains(m.modelId()) || !java.util.Collections.disjoint(declared, relatives(m.modelId()));
            int inserted = db.sql("""
                    insert into detected_lineage (child_model_id, parent_model_id, artifact_id, parent_artifact_id, verdict,
                                                  confidence, evidence, declared)
                    values (?, ?, ?, ?, ?, ?, ?::jsonb, ?) on conflict do nothing""")
                    .params(model.id(), m.modelId(), id, m.artifactId(), m.kind().name(), m.confidence(),
                            json.writeValueAsString(m.evidence()), isDeclared)
                    .update();
            if (inserted == 1) {
                detected.add(m);
                events.publishEvent(new DerivativeDetected(model.id(), m.modelId(), id, m.artifactId(), m.kind().name(),
                        m.confidence(), isDeclared, Instant.now()));
            }
        }
        return new Registered(get(id), detected);
    }

    /**
     * The models related to {@code modelId} by declared or detected lineage, either way. A detected
     * parent that is related to a parent the model declares (a sibling fine-tune of the same base,
     * say) is explained by the declaration and raises no alert: sketches cannot tell a parent
     * from its other children.
     */
    private Set<UUID> relatives(UUID modelId) {
        Set<UUID> out = new java.util.HashSet<>();
        lineage.ancestors(modelId).forEach(r -> out.add(r.id()));
        lineage.descendants(modelId).forEach(r -> out.add(r.id()));
        out.addAll(db.sql("""
                select parent_model_id from detected_lineage where child_model_id = ?
                union select child_model_id from detected_lineage where parent_model_id = ?""")
                .params(modelId, modelId).query(UUID.class).list());
        return out;
    }

    private static Set<String> shapes(ModelFingerprint f) {
        Set<String> shapes = new LinkedHashSet<>();
        for (TensorSketch s : f.sketches()) {
            shapes.add(ArtifactIndex.shape(s.shape()));
        }
        return shapes;
    }

    /**
     * The registered artifacts that {@code evidence} is, or descends from, best first. Candidates
     * (at most {@value #CANDIDATES}) are exact manifest matches, then artifacts sharing the most
     * tensor digests, then those with the most sketched shapes in common; each is compared on all
     * its tensor digests and on the sketches of up to {@value #COMPARED} tensors. Unrelated
     * artifacts are left out. {@code exclude} is skipped (the artifact being registered).
     */
    public List<Match> identify(Evidence evidence, UUID exclude) {
        Set<UUID> candidates = new LinkedHashSet<>();
        Set<UUID> sameManifest = new java.util.HashSet<>();
        if (evidence.manifestDigest() != null) {
            sameManifest.addAll(db.sql("select id from artifact where manifest_digest = ? and id is distinct from ? limit ?")
                    .params(evidence.manifestDigest(), exclude, CANDIDATES).query(UUID.class).list());
            candidates.addAll(sameManifest);
        }
        ModelFingerprint f = evidence.fingerprint();
        if (!f.tensors().isEmpty() && candidates.size() < CANDIDATES) {
            byte[][] digests = f.tensors().stream().map(t -> t.digest().bytes()).toArray(byte[][]::new);
            candidates.addAll(db.sql("""
                    select artifact_id from artifact_tensor where digest = any(?) and artifact_id is distinct from ?
                     group by artifact_id order by count(*) desc limit ?""")
                    .params(digests, exclude, CANDIDATES - candidates.size()).query(UUID.class).list());
        }
        Set<String> shapes = shapes(f);
        if (!shapes.isEmpty() && candidates.size() < CANDIDATES) {
            candidates.addAll(db.sql("""
                    select artifact_id from artifact_shape where shape = any(?) and artifact_id is distinct from ?
                     group by artifact_id order by count(*) desc limit ?""")
                    .params(shapes.toArray(String[]::new), exclude, CANDIDATES).query(UUID.class).list());
        }
        List<UUID> compared = candidates.stream().limit(CANDIDATES).toList();
        if (compared.isEmpty()) {
            return List.of();
        }
        ModelFingerprint ours = new ModelFingerprint(f.tensors(), spread(f.sketches()));
        List<String> sketched = ours.sketches().stream().map(s -> TensorNames.canonical(s.name())).toList();
        Map<UUID, ModelFingerprint> stored = index.fingerprints(compared, sketched);
        record About(String name, UUID modelId, String modelName) {
        }
        Map<UUID, About> about = new java.util.HashMap<>();
        db.sql("select a.id, a.name, a.model_id, m.name from artifact a join model m on m.id = a.model_id where a.id = any(?)")
                .param(compared.toArray(UUID[]::new))
                .query(rs -> {
                    about.put(rs.getObject(1, UUID.class), new About(rs.getString(2), rs.getObject(3, UUID.class), rs.getString(4)));
                });
        List<Match> out = new ArrayList<>();
        for (UUID candidate : compared) {
            Verdict v = Comparison.compare(ours, stored.get(candidate), sameManifest.contains(candidate));
            if (v.kind() != Verdict.Kind.UNRELATED) {
                About a = about.get(candidate);
                out.add(new Match(candidate, a.name(), a.modelId(), a.modelName(), v.kind(), v.confidence(), v.evidence()));
            }
        }
        out.sort(Comparator.comparing(Match::kind).thenComparing(Comparator.comparingDouble(Match::confidence).reversed()));
        return out;
    }

    /** Up to {@value #COMPARED} of {@code sketches}, evenly spread over them in canonical-name order, one per name. */
    static List<TensorSketch> spread(List<TensorSketch> sketches) {
        Map<String, TensorSketch> byName = new java.util.TreeMap<>();
        sketches.forEach(s -> byName.putIfAbsent(TensorNames.canonical(s.name()), s));
        List<TensorSketch> all = List.copyOf(byName.values());
        if (all.size() <= COMPARED) {
            return all;
        }
        List<TensorSketch> out = new ArrayList<>(COMPARED);
        for (int i = 0; i < COMPARED; i++) {
            out.add(all.get((int) ((long) i * all.size() / COMPARED)));
        }
        return out;
    }

    public Artifact get(UUID id) {
        return db.sql(SELECT + " where a.id = ?").param(id).query(this::map).optional()
                .orElseThrow(() -> new NotFoundException("artifact", id));
    }

    public List<Artifact> ofModel(UUID modelId) {
        models.get(modelId);
        return db.sql(SELECT + " where a.model_id = ? order by a.registered_at").param(modelId).query(this::map).list();
    }

    /** Lineage detected in a model's weights that the model does not declare, not yet reviewed. */
    public record Alert(UUID id, UUID childModelId, String childModelName, UUID parentModelId, String parentModelName,
                        String verdict, double confidence, Instant detectedAt) {
    }

    public List<Alert> undeclared(int limit) {
        return db.sql("""
                select d.id, d.child_model_id, c.name, d.parent_model_id, p.name, d.verdict, d.confidence, d.detected_at
                  from detected_lineage d join model c on c.id = d.child_model_id join model p on p.id = d.parent_model_id
                 where d.reviewed_at is null and not d.declared order by d.detected_at limit ?""").param(limit)
                .query((rs, n) -> new Alert(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                        rs.getObject(4, UUID.class), rs.getString(5), rs.getString(6), rs.getDouble(7), rs.getTimestamp(8).toInstant()))
                .list();
    }

    /** Lineage found in the weights of the model's artifacts, newest first. */
    public List<Detected> detectedParents(UUID modelId) {
        return db.sql("""
                select d.parent_model_id, m.name, d.artifact_id, d.verdict, d.confidence, d.declared, d.detected_at
                  from detected_lineage d join model m on m.id = d.parent_model_id
                 where d.child_model_id = ? order by d.detected_at desc limit 200""").param(modelId)
                .query((rs, n) -> new Detected(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, UUID.class),
                        rs.getString(4), rs.getDouble(5), rs.getBoolean(6), rs.getTimestamp(7).toInstant()))
                .list();
    }

    private static final String SELECT = """
            select a.id, a.model_id, m.name as model_name, a.organisation_id, a.name, a.manifest_digest,
                   (select count(*) from artifact_tensor t where t.artifact_id = a.id) as tensors,
                   jsonb_array_length(a.fingerprint -> 'sketches') as sketches, a.registered_at
              from artifact a join model m on m.id = a.model_id""";

    private Artifact map(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new Artifact(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), rs.getObject(4, UUID.class),
                rs.getString(5), rs.getString(6), rs.getInt(7), rs.getInt(8), rs.getTimestamp(9).toInstant());
    }
}
