package org.ditchley.platform.internal;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the node keeps its data. With {@code url} unset (the default) the node runs an embedded
 * PostgreSQL in {@code dataDir}/postgres; set {@code DITCHLEY_DB_URL} (and {@code _USER},
 * {@code _PASSWORD}) to use an external PostgreSQL instead.
 */
@ConfigurationProperties("ditchley.db")
public record DatabaseProperties(String url, String user, String password, Path dataDir, int poolSize) {

    public DatabaseProperties {
        if (dataDir == null) {
            dataDir = Path.of("data");
        }
        if (poolSize <= 0) {
            poolSize = 20;
        }
    }

    boolean external() {
        return url != null && !url.isBlank();
    }
}
