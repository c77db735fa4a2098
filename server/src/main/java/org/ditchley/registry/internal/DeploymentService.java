package org.ditchley.registry.internal;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.ditchley.identity.Actor;
import org.ditchley.identity.Role;
import org.ditchley.platform.ConflictException;
import org.ditchley.platform.InvalidInputException;
import org.ditchley.platform.NotFoundException;
import org.ditchley.registry.DeploymentAgentEnrolled;
import org.ditchley.registry.DeploymentRegistered;
import org.ditchley.registry.DeploymentStatusChanged;
import org.ditchley.registry.ModelStatus;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Deployments (use): registered by the deployer's organisation. Locations and endpoints are
 * confidential (the deployer and regulators see them; the public sees counts). A copy of a
 * frontier model (one crossing a threshold) may only be ACTIVE once the regulator has authorised
 * the model for deployment; no copy of a suspended or terminated model may be active.
 */
@Service
public class DeploymentService {

    public record Draft(UUID modelId, Deployment.LocationKind locationKind, String location, String endpoint,
                        Deployment.Status status) {
        public Draft {
            if (modelId == null) {
                throw new InvalidInputException("modelId", "is required");
            }
            if (locationKind == null) {
                throw new InvalidInputException("locationKind", "is required (FACILITY or CLOUD_REGION)");
            }
            location = ModelDraft.text("location", location, 200, true);
            endpoint = ModelDraft.text("endpoint", endpoint, 500, true);
            status = status == null ? Deployment.Status.PLANNED : status;
        }
    }

    private static final String SELECT = """
            select d.*, o.name as organisation_name, m.name as model_name from deployment d
              join organisation o on o.id = d.organisation_id join model m on m.id = d.model_id
            """;

    private final JdbcClient db;
    private final ModelService models;
    private final ApplicationEventPublisher events;

    DeploymentService(JdbcClient db, ModelService models, ApplicationEventPublisher events) {
        this.db = db;
        this.models = models;
        this.events = events;
    }

    @Transactional
    public Deployment register(Actor actor, Draft draft) {
        if (!actor.has(Role.DEPLOYER)) {
            throw new AccessDeniedException("only deployers register deployments");
        }
        Model model = models.get(draft.modelId());
        if (draft.status() == Deployment.Status.RETIRED) {
            throw new InvalidInputException("status", "a new deployment cannot be RETIRED");
        }
        requireMayRun(model, draft.status());
        UUID id = db.sql("""
                insert into deployment (organisation_id, model_id, location_kind, location, endpoint, status, registered_by)
                values (?, ?, ?, ?, ?, ?, ?) returning id""")
                .params(actor.organisationId(), model.id(), draft.locationKind().name(), draft.location(),
                        draft.endpoint(), draft.status().name(), actor.accountId())
                .query(UUID.class).single();
        events.publishEvent(new DeploymentRegistered(id, model.id(), actor.organisationId(), draft.status().name(),
                actor.accountId(), Instant.now()));
        return db.sql(SELECT + " where d.id = ?").param(id).query(DeploymentService::map).single();
    }

    @Transactional
    public Deployment changeStatus(Actor actor, UUID id, Deployment.Status target) {
        if (target == null) {
            throw new InvalidInputException("status", "is required");
        }
        Deployment deployment = get(actor, id);
        if (!actor.isRegulator() && !actor.has(Role.DEPLOYER)) {
            throw new AccessDeniedException("only the deployer changes a deployment's status");
        }
        if (!deployment.status().next().contains(target)) {
            throw new ConflictException("illegal-transition", "deployment " + id + " is " + deployment.status()
                    + " and cannot move to " + target + " (allowed: " + deployment.status().next() + ")");
        }
        requireMayRun(models.get(deployment.modelId()), target);
        db.sql("update deployment set status = ? where id = ?").params(target.name(), id).update();
        events.publishEvent(new DeploymentStatusChanged(id, deployment.status().name(), target.name(),
                actor.accountId(), Instant.now()));
        return get(actor, id);
    }

    /**
     * Enrols the agent beside deployment {@code id}: the artifact it serves, which must be one of
     * the deployment's model's artifacts, and the note verifier key (c2sp.org/signed-note) it signs
     * with, which no other deployment may use. Only the deploying organisation's deployers enrol;
     * enrolling again replaces the key, so a lost key is replaced and the old one stops working.
     */
    @Transactional
    public Deployment enrolAgent(Actor actor, UUID id, String agentKey, UUID artifactId) {
        Deployment deployment = get(actor, id);
        if (!actor.has(Role.DEPLOYER) || !actor.memberOf(deployment.organisationId())) {
            throw new AccessDeniedException("only the deploying organisation's deployers enrol its agent");
        }
        if (agentKey == null || agentKey.isBlank()) {
            throw new InvalidInputException("agentKey", "is required: the agent's note verifier key, name+hash+key");
        }
        if (agentKey.length() > 300) {
            throw new InvalidInputException("agentKey", "is longer than 300 characters");
        }
        try {
            org.ditchley.tlog.NoteVerifier.parse(agentKey.strip());
        } catch (org.ditchley.tlog.MalformedNoteException e) {
            throw new InvalidInputException("agentKey", "is not a note verifier key: " + e.getMessage());
        }
        if (artifactId == null) {
            throw new InvalidInputException("artifactId", "is required: the artifact the deployment serves");
        }
        var artifact = db.sql("select model_id, manifest_digest from artifact where id = ?").param(artifactId)
                .query((rs, n) -> new Object[] {rs.getObject(1, UUID.class), rs.getString(2)}).optional()
                .orElseThrow(() -> new InvalidInputException("artifactId", "names no registered artifact"));
        if (!deployment.modelId().equals(artifact[0])) {
            throw new InvalidInputException("artifactId", "is an artifact of another model, not of " + deployment.modelName());
        }
        if (artifact[1] == null) {
            throw new InvalidInputException("artifactId", "has no model-signing manifest digest for a license to name");
        }
        String key = agentKey.strip();
        Boolean taken = db.sql("select exists (select 1 from deployment where agent_key = ? and id <> ?)").params(key, id)
                .query(Boolean.class).single();
        if (taken) {
            throw new ConflictException("agent-key-in-use", "this agent key is enrolled for another deployment");
        }
        try {
            db.sql("update deployment set agent_key = ?, artifact_id = ? where id = ?").params(key, artifactId, id).update();
        } catch (DuplicateKeyException e) {
            // enrolled for another deployment by a transaction that committed after the check above
            throw new ConflictException("agent-key-in-use", "this agent key is enrolled for another deployment");
        }
        events.publishEvent(new DeploymentAgentEnrolled(id, deployment.organisationId(), artifactId, (String) artifact[1], key, actor.accountId(), Instant.now()));
        return get(actor, id);
    }

    /** A deployment the actor may see: its own organisation's, or any for a regulator. */
    public Deployment get(Actor actor, UUID id) {
        return db.sql(SELECT + " where d.id = ?").param(id).query(DeploymentService::map).optional()
                .filter(d -> actor.isRegulator() || actor.memberOf(d.organisationId()))
                .orElseThrow(() -> new NotFoundException("deployment", id));
    }

    public List<Deployment> visibleTo(Actor actor, UUID modelId) {
        return db.sql(SELECT + """
                 where (cast(? as uuid) is null or d.organisation_id = ?)
                   and (cast(? as uuid) is null or d.model_id = ?)
                 order by d.created_at desc limit 1000""")
                .params(actor.isRegulator() ? null : actor.organisationId(),
                        actor.isRegulator() ? null : actor.organisationId(), modelId, modelId)
                .query(DeploymentService::map).list();
    }

    public long countForModel(UUID modelId) {
        return db.sql("select count(*) from deployment where model_id = ? and status <> 'RETIRED'").param(modelId)
                .query(Long.class).single();
    }

    public List<Deployment> unreviewed(int limit) {
        return db.sql(SELECT + " where d.reviewed_at is null order by d.created_at limit ?").param(limit)
                .query(DeploymentService::map).list();
    }

    private void requireMayRun(Model model, Deployment.Status status) {
        if (status != Deployment.Status.ACTIVE) {
            return;
        }
        if (model.status() == ModelStatus.SUSPENDED || model.status() == ModelStatus.TERMINATED) {
            throw new ConflictException("model-not-deployable", "model " + model.displayName() + " is "
                    + model.status() + "; no copy of it may be active");
        }
        if (models.frontier(model) && model.status() != ModelStatus.AUTHORISED_FOR_DEPLOYMENT) {
            throw new ConflictException("model-not-authorised", "model " + model.displayName()
                    + " crosses a frontier threshold and is " + model.status()
                    + "; it must be AUTHORISED_FOR_DEPLOYMENT before a copy may be active");
        }
    }

    private static Deployment map(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new Deployment(rs.getObject("id", UUID.class), rs.getObject("organisation_id", UUID.class),
                rs.getString("organisation_name"), rs.getObject("model_id", UUID.class), rs.getString("model_name"),
                Deployment.LocationKind.valueOf(rs.getString("location_kind")), rs.getString("location"),
                rs.getString("endpoint"), Deployment.Status.valueOf(rs.getString("status")),
                rs.getTimestamp("created_at").toInstant(), rs.getObject("artifact_id", UUID.class), rs.getString("agent_key"));
    }
}
