package org.ditchley.ledger.internal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.UUID;
import org.ditchley.ledger.AppendingNode;
import org.ditchley.ledger.Ledger;
import org.ditchley.support.NodeTest;
import org.ditchley.tlog.NoteSigner;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** A node refuses to extend a log in its database that another key signed. */
@NodeTest
class KeyMatchesLogTests {

    @Autowired
    LedgerStore store;

    @Autowired
    NoteSigner signer;

    @Autowired
    Ledger ledger;

    @Test
    void anotherKeyIsRefusedAtStart() throws Exception {
        long index = ledger.append(new AppendingNode.CrashFiling(UUID.randomUUID(), Instant.now())).join();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (store.latestCheckpointSize() <= index && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThatCode(() -> new KeyMatchesLog(store, signer).afterSingletonsInstantiated()).doesNotThrowAnyException();
        NoteSigner stranger = NoteSigner.generate(signer.name());
        assertThatThrownBy(() -> new KeyMatchesLog(store, stranger).afterSingletonsInstantiated())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(stranger.verifier().toString())
                .hasMessageContaining("DITCHLEY_LEDGER_KEY_FILE");
    }
}
