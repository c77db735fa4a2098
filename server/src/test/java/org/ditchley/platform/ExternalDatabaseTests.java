package org.ditchley.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * With {@code ditchley.db.url} (DITCHLEY_DB_URL) set, the node uses that PostgreSQL, migrates
 * it, and starts no database of its own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ExternalDatabaseTests {

    static EmbeddedPostgres external;

    @DynamicPropertySource
    static void externalDatabase(DynamicPropertyRegistry registry) throws IOException {
        external = EmbeddedPostgres.builder().start();
        registry.add("ditchley.db.url", () -> external.getJdbcUrl("postgres", "postgres"));
        registry.add("ditchley.db.user", () -> "postgres");
        registry.add("ditchley.db.password", () -> "");
    }

    @AfterAll
    static void stop() throws IOException {
        external.close();
    }

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcClient db;

    @Test
    void migratesAndUsesTheConfiguredDatabase() throws Exception {
        try (var connection = dataSource.getConnection()) {
            assertThat(connection.getMetaData().getURL()).contains(":" + external.getPort() + "/");
        }
        assertThat(db.sql("select count(*) from threshold_rule").query(Long.class).single()).isEqualTo(2);
        assertThat(JdbcClient.create(external.getPostgresDatabase()).sql("select count(*) from chip")
                .query(Long.class).single()).isEqualTo(4);
    }
}
