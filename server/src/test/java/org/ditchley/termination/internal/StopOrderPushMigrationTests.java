package org.ditchley.termination.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Migration V12 moves the push times of stop orders' copies into their own table: a node that
 * upgrades keeps, for every copy an order was already pushed to, when it was pushed.
 */
class StopOrderPushMigrationTests {

    @Test
    void pushTimesRecordedBeforeTheUpgradeAreKept() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            var ds = pg.getPostgresDatabase();
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("11").load().migrate();
            JdbcClient db = JdbcClient.create(ds);
            UUID org = db.sql("insert into organisation (name, kind, jurisdiction) values ('Lab', 'DEVELOPER', 'GB') returning id")
                    .query(UUID.class).single();
            UUID account = db.sql("""
                    insert into account (organisation_id, email, display_name, password_hash, roles)
                    values (?, 'officer@example.test', 'Officer', 'x', '{REGULATOR,OFFICER}') returning id""").param(org)
                    .query(UUID.class).single();
            UUID model = db.sql("insert into model (organisation_id, name, modality, status) values (?, 'Model', 'language', 'REGISTERED') returning id")
                    .param(org).query(UUID.class).single();
            UUID pushed = deployment(db, org, model);
            UUID unheard = deployment(db, org, model);
            UUID order = db.sql("""
                    insert into stop_order (scope, with_derivatives, reason_kind, reason, grace_seconds, quorum, lift_quorum, status, drafted_by)
                    values ('DEPLOYMENTS', false, 'OTHER', 'upgrade', 0, 2, 3, 'IN_EFFECT', ?) returning id""").param(account)
                    .query(UUID.class).single();
            OffsetDateTime at = OffsetDateTime.parse("2026-11-01T12:00:00.123456Z");
            db.sql("insert into stop_order_copy (order_id, deployment_id, pushed_at) values (?, ?, ?)").params(order, pushed, at).update();
            db.sql("insert into stop_order_copy (order_id, deployment_id) values (?, ?)").params(order, unheard).update();

            Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("12").load().migrate();

            List<Map<String, Object>> rows = db.sql("select order_id, deployment_id, pushed_at from stop_order_push").query().listOfRows();
            assertThat(rows).hasSize(1);
            assertThat(rows.get(0).get("deployment_id")).isEqualTo(pushed);
            assertThat(db.sql("select pushed_at from stop_order_push where deployment_id = ?").param(pushed)
                    .query(OffsetDateTime.class).single().toInstant()).isEqualTo(at.toInstant());
            assertThat(db.sql("select count(*) from information_schema.columns where table_name = 'stop_order_copy' and column_name = 'pushed_at'")
                    .query(Integer.class).single()).as("the copy's own column is gone").isZero();
            assertThat(db.sql("select count(*) from stop_order_copy").query(Integer.class).single()).isEqualTo(2);
        }
    }

    private static UUID deployment(JdbcClient db, UUID org, UUID model) {
        return db.sql("""
                insert into deployment (organisation_id, model_id, location_kind, location, endpoint, status)
                values (?, ?, 'FACILITY', 'DC 1', 'https://d.example', 'ACTIVE') returning id""").params(org, model)
                .query(UUID.class).single();
    }
}
