package org.ditchley.registry.internal;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.ditchley.identity.Actor;
import org.ditchley.platform.ConflictException;
import org.ditchley.platform.InvalidInputException;
import org.ditchley.platform.NotFoundException;
import org.ditchley.registry.TrainingRunRegistered;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Training runs. A run whose planned compute crosses a rule of the threshold policy must be
 * registered before it starts; a run under every threshold may be registered afterwards.
 * Runs are confidential: the developer's organisation and regulators see them.
 */
@Service
public class TrainingRunService {

    private static final String SELECT = """
            select r.*, m.name as model_name from training_run r join model m on m.id = r.model_id
            """;

    private final JdbcClient db;
    private final ModelService models;
    private final ChipCatalog chips;
    private final ApplicationEventPublisher events;

    TrainingRunService(JdbcClient db, ModelService models, ChipCatalog chips, ApplicationEventPublisher events) {
        this.db = db;
        this.models = models;
        this.chips = chips;
        this.events = events;
    }

    @Transactional
    public TrainingRun register(Actor actor, TrainingRunDraft draft) {
        Model model = models.get(draft.modelId());
        ModelService.requireMayEdit(actor, model);
        double planned = plannedCompute(draft);
        ComputeEstimate figure = new ComputeEstimate(ComputeBasis.REPORTED, planned, "planned");
        Instant now = Instant.now();
        if (!draft.plannedStart().isAfter(now)) {
            Optional<ThresholdRule> crossed = models.policy().rules().stream().filter(r -> r.crossedBy(figure.flop())).findFirst();
            if (crossed.isPresent()) {
                throw new ConflictException("late-registration", "a run of " + ComputeEstimator.sci(planned)
                        + " FLOP crosses " + crossed.get().key() + " (" + crossed.get().condition()
                        + ") and must be registered before it starts; its planned start " + draft.plannedStart()
                        + " is not in the future");
            }
        }
        UUID id = db.sql("""
                insert into training_run (model_id, organisation_id, planned_compute, chip_id, chip_count, precision,
                    clusters, providers, planned_start, planned_end, registered_by)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id""")
                .params(model.id(), model.organisationId(), planned, draft.chipId(), draft.chipCount(), draft.precision(),
                        draft.clusters().toArray(String[]::new), draft.providers().toArray(String[]::new),
                        Timestamp.from(draft.plannedStart()), Timestamp.from(draft.plannedEnd()), actor.accountId())
                .query(UUID.class).single();
        events.publishEvent(new TrainingRunRegistered(id, model.id(), model.organisationId(), planned,
                draft.plannedStart(), actor.accountId(), now));
        return find(id).orElseThrow();
    }

    /** A run the actor may see: its own organisation's, or any for a regulator; others are "not found". */
    public TrainingRun get(Actor actor, UUID id) {
        return find(id).filter(r -> actor.isRegulator() || actor.memberOf(r.organisationId()))
                .orElseThrow(() -> new NotFoundException("training run", id));
    }

    public List<TrainingRun> list(Actor actor, UUID modelId) {
        return db.sql(SELECT + """
                 where (cast(? as uuid) is null or r.organisation_id = ?)
                   and (cast(? as uuid) is null or r.model_id = ?)
                 order by r.planned_start desc limit 500""")
                .params(actor.isRegulator() ? null : actor.organisationId(),
                        actor.isRegulator() ? null : actor.organisationId(), modelId, modelId)
                .query(TrainingRunService::map).list();
    }

    public List<TrainingRun> unreviewed(int limit) {
        return db.sql(SELECT + " where r.reviewed_at is null order by r.created_at limit ?").param(limit)
                .query(TrainingRunService::map).list();
    }

    private Optional<TrainingRun> find(UUID id) {
        return db.sql(SELECT + " where r.id = ?").param(id).query(TrainingRunService::map).optional();
    }

    private double plannedCompute(TrainingRunDraft draft) {
        if (draft.plannedCompute() != null) {
            return draft.plannedCompute();
        }
        if (draft.chipId() == null || draft.chipCount() == null || draft.utilisation() == null) {
            throw new InvalidInputException("plannedCompute",
                    "is required unless chipId, chipCount and utilisation are given to estimate it");
        }
        ChipCatalog.Chip chip = chips.find(draft.chipId()).orElseThrow(() -> new InvalidInputException("chipId",
                "'" + draft.chipId() + "' is not in the chip catalog"));
        String precision = draft.precision() == null ? chip.defaultPrecision() : draft.precision();
        Double peak = chip.peakFlops().get(precision);
        if (peak == null) {
            throw new InvalidInputException("precision", chip.name() + " has no peak figure for " + precision
                    + " (known: " + chip.peakFlops().keySet() + ")");
        }
        return ComputeEstimator.fromHardware(chip.name(), precision, peak, draft.chipCount().doubleValue(),
                draft.hours(), draft.utilisation()).orElseThrow().flop();
    }

    private static TrainingRun map(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        int chipCount = rs.getInt("chip_count");
        Integer count = rs.wasNull() ? null : chipCount;
        return new TrainingRun(rs.getObject("id", UUID.class), rs.getObject("model_id", UUID.class),
                rs.getString("model_name"), rs.getObject("organisation_id", UUID.class), rs.getDouble("planned_compute"),
                rs.getString("chip_id"), count, rs.getString("precision"),
                Arrays.asList((String[]) rs.getArray("clusters").getArray()),
                Arrays.asList((String[]) rs.getArray("providers").getArray()),
                rs.getTimestamp("planned_start").toInstant(), rs.getTimestamp("planned_end").toInstant(),
                rs.getTimestamp("created_at").toInstant());
    }
}
