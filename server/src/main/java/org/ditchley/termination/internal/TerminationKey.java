package org.ditchley.termination.internal;

import java.nio.file.Path;
import java.util.UUID;
import org.ditchley.platform.SigningKeyFile;
import org.ditchley.tlog.NoteSigner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The key this node signs operating licenses and stop orders with, kept apart from the ledger's
 * key: agents pin its verifier key at install. Read from {@code ditchley.termination.key-file}
 * ({@code DITCHLEY_TERMINATION_KEY_FILE}; nodes sharing a database share it), else
 * {@code <data-dir>/termination.key}, created owner-only on first start.
 */
@Component
class TerminationKey {

    private static final Logger log = LoggerFactory.getLogger(TerminationKey.class);

    private final NoteSigner signer;

    TerminationKey(@Value("${ditchley.db.data-dir:data}") Path dataDir,
                   @Value("${ditchley.termination.key-file:}") String keyFile,
                   @Value("${ditchley.termination.key-name:}") String keyName) {
        Path file = keyFile.isBlank() ? dataDir.resolve("termination.key") : Path.of(keyFile);
        String name = keyName.isBlank() ? "termination.ditchley.invalid/" + UUID.randomUUID().toString().substring(0, 8) : keyName;
        signer = SigningKeyFile.loadOrCreate(file, name, "termination key");
        log.info("Licenses and stop orders are signed, and agents' notes checked, with {}", NoteSigner.arithmetic());
    }

    NoteSigner signer() {
        return signer;
    }

    /** The verifier key agents pin. */
    String vkey() {
        return signer.verifier().toString();
    }
}
