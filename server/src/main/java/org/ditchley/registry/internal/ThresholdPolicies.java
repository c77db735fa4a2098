package org.ditchley.registry.internal;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.ditchley.identity.Actor;
import org.ditchley.platform.InvalidInputException;
import org.ditchley.platform.NotFoundException;
import org.ditchley.registry.ThresholdPolicyPublished;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The versioned threshold policy. Versions are never changed: a new policy is a new version. */
@Service
public class ThresholdPolicies {

    private final JdbcClient db;
    private final ApplicationEventPublisher events;

    ThresholdPolicies(JdbcClient db, ApplicationEventPublisher events) {
        this.db = db;
        this.events = events;
    }

    public ThresholdPolicy current() {
        return version(db.sql("select max(version) from threshold_policy").query(Integer.class).single());
    }

    public List<Integer> versions() {
        return db.sql("select version from threshold_policy order by version").query(Integer.class).list();
    }

    public ThresholdPolicy version(int version) {
        var header = db.sql("select version, title, effective_from from threshold_policy where version = ?")
                .param(version).query((rs, n) -> new Object[] {rs.getString("title"), rs.getTimestamp("effective_from").toInstant()})
                .optional().orElseThrow(() -> new NotFoundException("threshold policy version", version));
        List<ThresholdRule> rules = db.sql("select * from threshold_rule where policy_version = ? order by value, key")
                .param(version)
                .query((rs, n) -> new ThresholdRule(rs.getString("key"), rs.getString("label"), rs.getString("jurisdiction"),
                        ThresholdRule.Metric.valueOf(rs.getString("metric")),
                        ThresholdRule.Comparator.valueOf(rs.getString("comparator")), rs.getDouble("value"),
                        rs.getString("precision_convention")))
                .list();
        return new ThresholdPolicy(version, (String) header[0], (Instant) header[1], rules);
    }

    /** Publishes a new version with {@code rules}, in force at once. */
    @Transactional
    public synchronized ThresholdPolicy publish(Actor regulator, String title, List<ThresholdRule> rules) {
        if (title == null || title.isBlank() || title.length() > 200) {
            throw new InvalidInputException("title", "is required, at most 200 characters");
        }
        if (rules == null || rules.isEmpty() || rules.size() > 100) {
            throw new InvalidInputException("rules", "between 1 and 100 rules are required");
        }
        if (rules.stream().map(ThresholdRule::key).distinct().count() != rules.size()) {
            throw new InvalidInputException("rules", "rule keys must be unique");
        }
        db.sql("lock table threshold_policy in exclusive mode").update();
        int version = db.sql("select coalesce(max(version), 0) + 1 from threshold_policy").query(Integer.class).single();
        db.sql("insert into threshold_policy (version, title, published_by) values (?, ?, ?)")
                .params(version, title.strip(), regulator.accountId()).update();
        for (ThresholdRule r : rules) {
            db.sql("insert into threshold_rule values (?, ?, ?, ?, ?, ?, ?, ?)")
                    .params(version, r.key(), r.label(), r.jurisdiction(), r.metric().name(), r.comparator().name(),
                            r.value(), r.precisionConvention()).update();
        }
        events.publishEvent(new ThresholdPolicyPublished(version,
                rules.stream().map(ThresholdRule::key).collect(Collectors.toList()), regulator.accountId(), Instant.now()));
        return version(version);
    }
}
