package org.ditchley.identity.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.ditchley.identity.Actor;
import org.ditchley.identity.Organisation;
import org.ditchley.identity.OrganisationKind;
import org.ditchley.identity.Role;
import org.ditchley.platform.ConflictException;
import org.ditchley.platform.Hashes;
import org.ditchley.platform.InvalidInputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The first start of a node on an empty database: nothing guessable is created. Instead a
 * random one-time set-up token is issued, printed as a link in the log and written to
 * {@code <data-dir>/setup-token} (owner-only), and whoever holds it creates the regulator
 * organisation and its first officer. The token is spent on use and expires after a day; a
 * restart while no account exists issues a fresh one.
 */
@Service
class SetupService {

    private static final Logger log = LoggerFactory.getLogger(SetupService.class);
    private static final Duration LIFETIME = Duration.ofHours(24);

    private final JdbcClient db;
    private final AccountStore accounts;
    private final OrganisationStore organisations;
    private final Path tokenFile;

    SetupService(JdbcClient db, AccountStore accounts, OrganisationStore organisations,
                 @Value("${ditchley.db.data-dir:data}") Path dataDir) {
        this.db = db;
        this.accounts = accounts;
        this.organisations = organisations;
        this.tokenFile = dataDir.resolve("setup-token");
    }

    @EventListener
    void onReady(ApplicationReadyEvent ready) {
        if (accounts.any()) {
            deleteTokenFile();
            return;
        }
        String token = issue();
        String base = baseUrl(ready.getApplicationContext());
        log.warn("""

                ================================================================================
                 This node has no accounts yet. Create the first regulator account at
                   {}/setup?token={}
                 (the token is also in {}; it can be used once, within 24 hours)
                ================================================================================""",
                base, token, tokenFile.toAbsolutePath());
    }

    /** Issues a new set-up token, replacing any earlier one, and returns its secret. */
    @Transactional
    String issue() {
        String token = Hashes.newSecret("setup_");
        db.sql("""
                insert into setup_token (id, token_hash, expires_at) values (1, ?, ?)
                on conflict (id) do update set token_hash = excluded.token_hash,
                    expires_at = excluded.expires_at, used_at = null""")
                .params(Hashes.sha256(token), java.sql.Timestamp.from(Instant.now().plus(LIFETIME))).update();
        writeTokenFile(token);
        return token;
    }

    boolean pending() {
        return !accounts.any();
    }

    /** Request to create the first regulator organisation and account. */
    record SetupRequest(String token, String organisation, String jurisdiction, String name, String email,
                        String password) {
    }

    /**
     * Spends the set-up token and creates the regulator organisation with its first account,
     * which holds both REGULATOR and OFFICER.
     */
    @Transactional
    Actor complete(SetupRequest request) {
        if (request.token() == null || request.token().length() > 100) {
            throw new InvalidInputException("token", "is missing or malformed");
        }
        int spent = db.sql("""
                update setup_token set used_at = now()
                 where id = 1 and token_hash = ? and used_at is null and expires_at > now()""")
                .param(Hashes.sha256(request.token())).update();
        if (spent != 1) {
            throw new InvalidInputException("token", "is not a valid, unused set-up token");
        }
        if (accounts.any()) {
            throw new ConflictException("already-set-up", "this node already has accounts; ask a regulator for an invitation");
        }
        Organisation regulator = organisations.create(request.organisation(), OrganisationKind.REGULATOR,
                request.jurisdiction(), null);
        Set<Role> roles = EnumSet.of(Role.REGULATOR, Role.OFFICER);
        Actor actor = accounts.create(regulator, request.email(), request.name(), request.password(), roles);
        deleteTokenFile();
        log.info("Set-up complete: regulator {} with first account {}", regulator.name(), request.email());
        return actor;
    }

    private void writeTokenFile(String token) {
        try {
            Files.createDirectories(tokenFile.getParent());
            Files.deleteIfExists(tokenFile);
            Files.createFile(tokenFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tokenFile, token + "\n", StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + tokenFile, e);
        }
    }

    private void deleteTokenFile() {
        try {
            Files.deleteIfExists(tokenFile);
        } catch (IOException e) {
            log.warn("could not delete {}: {}", tokenFile, e.getMessage());
        }
    }

    private static String baseUrl(ApplicationContext context) {
        if (context instanceof WebServerApplicationContext web && web.getWebServer() != null) {
            return "http://localhost:" + web.getWebServer().getPort();
        }
        return "http://localhost:8080";
    }
}
