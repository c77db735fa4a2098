package org.ditchley.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.ditchley.support.NodeTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The embedded PostgreSQL keeps what it acknowledges: the library's unsafe defaults are switched off. */
@NodeTest
class DurabilityTests {

    @Autowired
    JdbcClient db;

    @Test
    void fsyncAndSynchronousCommitAreOn() {
        assertThat(db.sql("show fsync").query(String.class).single()).isEqualTo("on");
        assertThat(db.sql("show synchronous_commit").query(String.class).single()).isEqualTo("on");
        assertThat(db.sql("show full_page_writes").query(String.class).single()).isEqualTo("on");
    }
}
