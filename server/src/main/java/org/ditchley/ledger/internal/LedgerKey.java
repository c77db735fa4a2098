package org.ditchley.ledger.internal;

import java.nio.file.Path;
import java.util.UUID;
import org.ditchley.platform.SigningKeyFile;
import org.ditchley.tlog.NoteSigner;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The node's Ed25519 log key. Created on first start, kept outside the database in
 * {@code <data-dir>/ledger.key} (or {@code ditchley.ledger.key-file}, for instances that share
 * one database and so one log) with owner-only permissions; its name is the checkpoint origin
 * ({@code ditchley.ledger.origin}, by default one that says the node is local).
 */
@Configuration(proxyBeanMethods = false)
class LedgerKey {

    @Bean
    NoteSigner ledgerSigner(@Value("${ditchley.db.data-dir:data}") Path dataDir,
                            @Value("${ditchley.ledger.key-file:}") String keyFile,
                            @Value("${ditchley.ledger.origin:}") String origin) {
        Path file = keyFile.isBlank() ? dataDir.resolve("ledger.key") : Path.of(keyFile);
        String name = origin.isBlank() ? "local.ditchley.invalid/" + UUID.randomUUID().toString().substring(0, 8) : origin;
        NoteSigner signer = SigningKeyFile.loadOrCreate(file, name, "ledger key");
        if (!origin.isBlank() && !signer.name().equals(origin)) {
            throw new IllegalStateException("ledger key in " + file + " is for origin " + signer.name()
                    + ", not the configured " + origin + "; a log cannot change its origin");
        }
        return signer;
    }
}
