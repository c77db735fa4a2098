package org.ditchley.registry.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.ditchley.registry.ModelStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Rows of the {@code model} table. */
@Repository
class ModelStore {

    static final String SELECT = """
            select m.*, o.name as organisation_name from model m join organisation o on o.id = m.organisation_id
            """;

    /** Most recently published first, then most recently registered; {@code id} makes the order total. */
    private static final String ORDER = " order by m.publication_date desc nulls last, m.created_at desc, m.id";

    private final JdbcClient db;

    ModelStore(JdbcClient db) {
        this.db = db;
    }

    Optional<Model> find(UUID id) {
        return db.sql(SELECT + " where m.id = ?").param(id).query(ModelStore::map).optional();
    }

    Optional<Model> findForUpdate(UUID id) {
        return db.sql(SELECT + " where m.id = ? for update of m").param(id).query(ModelStore::map).optional();
    }

    Optional<Model> findBySource(String source, String sourceRef) {
        return db.sql(SELECT + " where m.source = ? and m.source_ref = ?").params(source, sourceRef)
                .query(ModelStore::map).optional();
    }

    Optional<Model> findByIdentity(UUID organisationId, String name, String version) {
        return db.sql(SELECT + " where m.organisation_id = ? and lower(m.name) = lower(?) and m.version = ?")
                .params(organisationId, name, version).query(ModelStore::map).optional();
    }

    UUID insert(UUID organisationId, ModelDraft d, ModelStatus status, ComputeEstimates estimates, String source,
                String sourceRef, UUID by) {
        Optional<ComputeEstimate> used = estimates.used();
        return db.sql("""
                insert into model (organisation_id, name, version, modality, parameters_total, parameters_active,
                    training_tokens, reported_compute, compute_method, hardware_chip, hardware_quantity, training_hours,
                    utilisation, precision, compute_used, compute_basis, open_weights, status, publication_date,
                    source, source_ref, registered_by)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id""")
                .params(organisationId, d.name(), d.version(), d.modality(), d.parametersTotal(), d.parametersActive(),
                        d.trainingTokens(), d.reportedCompute(), d.computeMethod(), d.hardwareChip(),
                        d.hardwareQuantity(), d.trainingHours(), d.utilisation(), d.precision(),
                        used.map(ComputeEstimate::flop).orElse(null), used.map(e -> e.basis().name()).orElse(null),
                        d.openWeights(), status.name(), d.publicationDate(), source, sourceRef, by)
                .query(UUID.class).single();
    }

    void update(UUID id, ModelDraft d, ComputeEstimates estimates) {
        Optional<ComputeEstimate> used = estimates.used();
        db.sql("""
                update model set name = ?, version = ?, modality = ?, parameters_total = ?, parameters_active = ?,
                    training_tokens = ?, reported_compute = ?, compute_method = ?, hardware_chip = ?,
                    hardware_quantity = ?, training_hours = ?, utilisation = ?, precision = ?, compute_used = ?,
                    compute_basis = ?, open_weights = ?, publication_date = ?, updated_at = now(),
                    row_version = row_version + 1
                 where id = ?""")
                .params(d.name(), d.version(), d.modality(), d.parametersTotal(), d.parametersActive(),
                        d.trainingTokens(), d.reportedCompute(), d.computeMethod(), d.hardwareChip(),
                        d.hardwareQuantity(), d.trainingHours(), d.utilisation(), d.precision(),
                        used.map(ComputeEstimate::flop).orElse(null), used.map(e -> e.basis().name()).orElse(null),
                        d.openWeights(), d.publicationDate(), id)
                .update();
    }

    void setStatus(UUID id, ModelStatus status) {
        db.sql("update model set status = ?, updated_at = now(), row_version = row_version + 1 where id = ?")
                .params(status.name(), id).update();
    }

    /**
     * A page of models matching {@code filter}, the most recently published first (then the most
     * recently registered), and the number matching in all.
     */
    Page<Model> search(ModelFilter filter, ThresholdPolicy policy) {
        StringBuilder where = new StringBuilder(" where true");
        List<Object> params = new ArrayList<>();
        if (filter.developer() != null) {
            where.append(" and m.organisation_id = ?");
            params.add(filter.developer());
        }
        if (filter.status() != null) {
            where.append(" and m.status = ?");
            params.add(filter.status().name());
        }
        if (filter.q() != null && !filter.q().isBlank()) {
            where.append(" and (lower(m.name) like ? escape '\\' or m.organisation_id in"
                    + " (select id from organisation where lower(name) like ? escape '\\'))");
            String like = "%" + filter.q().strip().toLowerCase().replace("\\", "\\\\").replace("%", "\\%")
                    .replace("_", "\\_") + "%";
            params.add(like);
            params.add(like);
        }
        if (filter.threshold() != null) {
            ThresholdRule rule = policy.rule(filter.threshold()).orElseThrow(() -> new org.ditchley.platform.InvalidInputException(
                    "threshold", "no rule '" + filter.threshold() + "' in policy version " + policy.version()));
            where.append(rule.comparator() == ThresholdRule.Comparator.GT ? " and m.compute_used > ?" : " and m.compute_used >= ?");
            params.add(rule.value());
        }
        long total = db.sql("select count(*) from model m" + where)
                .params(params).query(Long.class).single();
        List<Object> pageParams = new ArrayList<>(params);
        pageParams.add(filter.size());
        pageParams.add((long) filter.page() * filter.size());
        // The page is chosen on the narrow index columns first; only its rows are read in full.
        List<Model> items = db.sql(SELECT + " where m.id in (select m.id from model m" + where + ORDER + " limit ? offset ?)" + ORDER)
                .params(pageParams).query(ModelStore::map).list();
        return new Page<>(items, filter.page(), filter.size(), total);
    }

    List<Model> unreviewed(int limit) {
        return db.sql(SELECT + " where m.reviewed_at is null and m.source = 'registration' order by m.created_at limit ?")
                .param(limit).query(ModelStore::map).list();
    }

    long count() {
        return db.sql("select count(*) from model").query(Long.class).single();
    }

    static Model map(ResultSet rs, int row) throws SQLException {
        ModelDraft facts = new ModelDraft(rs.getString("name"), rs.getString("version"), rs.getString("modality"),
                dbl(rs, "parameters_total"), dbl(rs, "parameters_active"), dbl(rs, "training_tokens"),
                dbl(rs, "reported_compute"), rs.getString("compute_method"), rs.getString("hardware_chip"),
                dbl(rs, "hardware_quantity"), dbl(rs, "training_hours"), dbl(rs, "utilisation"),
                rs.getString("precision"), rs.getBoolean("open_weights"),
                rs.getObject("publication_date", java.time.LocalDate.class));
        String basis = rs.getString("compute_basis");
        return new Model(rs.getObject("id", UUID.class), rs.getObject("organisation_id", UUID.class),
                rs.getString("organisation_name"), facts, ModelStatus.valueOf(rs.getString("status")),
                dbl(rs, "compute_used"), basis == null ? null : ComputeBasis.valueOf(basis), rs.getString("source"),
                rs.getString("source_ref"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(), instant(rs.getTimestamp("reviewed_at")));
    }

    static Double dbl(ResultSet rs, String column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }

    static java.time.Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
