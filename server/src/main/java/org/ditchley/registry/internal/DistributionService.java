package org.ditchley.registry.internal;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.ditchley.identity.Actor;
import org.ditchley.identity.Role;
import org.ditchley.platform.ConflictException;
import org.ditchley.platform.InvalidInputException;
import org.ditchley.platform.NotFoundException;
import org.ditchley.registry.DistributionRegistered;
import org.ditchley.registry.ModelStatus;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Distributions (sale): registered by the distributor's organisation, of any registered model. */
@Service
public class DistributionService {

    public record Draft(UUID modelId, Distribution.Channel channel, String terms, List<String> jurisdictions) {
        public Draft {
            if (modelId == null) {
                throw new InvalidInputException("modelId", "is required");
            }
            if (channel == null) {
                throw new InvalidInputException("channel", "is required (API, WEIGHTS_DOWNLOAD or LICENCE)");
            }
            terms = ModelDraft.text("terms", terms, 5000, true);
            if (jurisdictions == null || jurisdictions.isEmpty() || jurisdictions.size() > 300) {
                throw new InvalidInputException("jurisdictions", "between 1 and 300 jurisdictions are required");
            }
            jurisdictions = jurisdictions.stream().map(j -> ModelDraft.text("jurisdictions", j, 50, true)).toList();
        }
    }

    private static final String SELECT = """
            select d.*, o.name as organisation_name, m.name as model_name from distribution d
              join organisation o on o.id = d.organisation_id join model m on m.id = d.model_id
            """;

    private final JdbcClient db;
    private final ModelService models;
    private final ApplicationEventPublisher events;

    DistributionService(JdbcClient db, ModelService models, ApplicationEventPublisher events) {
        this.db = db;
        this.models = models;
        this.events = events;
    }

    @Transactional
    public Distribution register(Actor actor, Draft draft) {
        if (!actor.has(Role.DISTRIBUTOR)) {
            throw new AccessDeniedException("only distributors register distributions");
        }
        Model model = models.get(draft.modelId());
        if (model.status() == ModelStatus.SUSPENDED || model.status() == ModelStatus.TERMINATED) {
            throw new ConflictException("model-not-distributable", "model " + model.displayName() + " is "
                    + model.status() + " and may not be distributed");
        }
        UUID id = db.sql("""
                insert into distribution (organisation_id, model_id, channel, terms, jurisdictions, registered_by)
                values (?, ?, ?, ?, ?, ?) returning id""")
                .params(actor.organisationId(), model.id(), draft.channel().name(), draft.terms(),
                        draft.jurisdictions().toArray(String[]::new), actor.accountId())
                .query(UUID.class).single();
        events.publishEvent(new DistributionRegistered(id, model.id(), actor.organisationId(), draft.channel().name(),
                actor.accountId(), Instant.now()));
        return get(id);
    }

    public Distribution get(UUID id) {
        return db.sql(SELECT + " where d.id = ?").param(id).query(DistributionService::map).optional()
                .orElseThrow(() -> new NotFoundException("distribution", id));
    }

    public List<Distribution> forModel(UUID modelId) {
        return db.sql(SELECT + " where d.model_id = ? order by d.created_at desc limit 1000").param(modelId)
                .query(DistributionService::map).list();
    }

    public List<Distribution> byOrganisation(UUID organisationId) {
        return db.sql(SELECT + " where d.organisation_id = ? order by d.created_at desc limit 1000").param(organisationId)
                .query(DistributionService::map).list();
    }

    public long countForModel(UUID modelId) {
        return db.sql("select count(*) from distribution where model_id = ?").param(modelId).query(Long.class).single();
    }

    public List<Distribution> unreviewed(int limit) {
        return db.sql(SELECT + " where d.reviewed_at is null order by d.created_at limit ?").param(limit)
                .query(DistributionService::map).list();
    }

    private static Distribution map(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new Distribution(rs.getObject("id", UUID.class), rs.getObject("organisation_id", UUID.class),
                rs.getString("organisation_name"), rs.getObject("model_id", UUID.class), rs.getString("model_name"),
                Distribution.Channel.valueOf(rs.getString("channel")), rs.getString("terms"),
                Arrays.asList((String[]) rs.getArray("jurisdictions").getArray()), rs.getTimestamp("created_at").toInstant());
    }
}
