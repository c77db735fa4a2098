package org.ditchley.platform.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The node's one {@link DataSource}: an external PostgreSQL when configured, else an embedded one. */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(DatabaseProperties properties) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("ditchley");
        config.setMaximumPoolSize(properties.poolSize());
        if (properties.external()) {
            config.setJdbcUrl(properties.url());
            config.setUsername(properties.user());
            config.setPassword(properties.password());
            return new HikariDataSource(config);
        }
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(properties.dataDir().resolve("postgres"));
        config.setJdbcUrl(server.jdbcUrl());
        return new HikariDataSource(config) {
            @Override
            public void close() {
                super.close();
                try {
                    server.close();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
    }
}
