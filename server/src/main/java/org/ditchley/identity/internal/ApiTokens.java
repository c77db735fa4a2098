package org.ditchley.identity.internal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.ditchley.identity.Actor;
import org.ditchley.platform.Hashes;
import org.ditchley.platform.NotFoundException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * API tokens for machines. A token acts as the account that created it, within that account's
 * organisation; its secret is shown once and only its SHA-256 is stored, so a database leak
 * reveals no usable token. Revoked tokens stop working on the next request.
 */
@Service
class ApiTokens {

    static final String PREFIX = "dtk_";

    /** A token as listed to its owner: never the secret. */
    record TokenInfo(UUID id, String name, UUID accountId, Instant createdAt, Instant lastUsedAt, Instant revokedAt) {
    }

    /** A newly issued token; {@code secret} is shown this once. */
    record IssuedToken(UUID id, String name, String secret) {
    }

    private final JdbcClient db;
    private final AccountStore accounts;

    ApiTokens(JdbcClient db, AccountStore accounts) {
        this.db = db;
        this.accounts = accounts;
    }

    @Transactional
    IssuedToken issue(Actor actor, String name) {
        String cleanName = OrganisationStore.requireText("name", name, 100);
        String secret = Hashes.newSecret(PREFIX);
        UUID id = db.sql("insert into api_token (account_id, organisation_id, name, token_hash) values (?, ?, ?, ?) returning id")
                .params(actor.accountId(), actor.organisationId(), cleanName, Hashes.sha256(secret))
                .query(UUID.class).single();
        return new IssuedToken(id, cleanName, secret);
    }

    List<TokenInfo> list(Actor actor) {
        return db.sql("""
                select id, name, account_id, created_at, last_used_at, revoked_at from api_token
                 where account_id = ? order by created_at desc""")
                .param(actor.accountId())
                .query((rs, n) -> new TokenInfo(rs.getObject("id", UUID.class), rs.getString("name"),
                        rs.getObject("account_id", UUID.class), rs.getTimestamp("created_at").toInstant(),
                        instant(rs.getTimestamp("last_used_at")), instant(rs.getTimestamp("revoked_at"))))
                .list();
    }

    /** Revokes a token of the actor's own account; regulators may revoke any token. */
    @Transactional
    void revoke(Actor actor, UUID id) {
        UUID owner = db.sql("select account_id from api_token where id = ?").param(id).query(UUID.class).optional()
                .orElseThrow(() -> new NotFoundException("API token", id));
        if (!owner.equals(actor.accountId()) && !actor.isRegulator()) {
            throw new AccessDeniedException("API token " + id + " belongs to another account");
        }
        db.sql("update api_token set revoked_at = now() where id = ? and revoked_at is null").param(id).update();
    }

    /**
     * The account a presented secret stands for, if the token exists, is unrevoked and its account
     * enabled. Records when the token was last used, at most once a minute, so that reads stay reads.
     */
    Optional<AccountUser> authenticate(String secret) {
        if (secret == null || !secret.startsWith(PREFIX) || secret.length() > 100) {
            return Optional.empty();
        }
        byte[] hash = Hashes.sha256(secret);
        record Row(UUID id, UUID accountId, boolean stale) {
        }
        Optional<Row> token = db.sql("""
                select id, account_id, (last_used_at is null or last_used_at < now() - interval '1 minute') as stale
                  from api_token where token_hash = ? and revoked_at is null""")
                .param(hash)
                .query((rs, n) -> new Row(rs.getObject("id", UUID.class), rs.getObject("account_id", UUID.class),
                        rs.getBoolean("stale")))
                .optional();
        token.filter(Row::stale).ifPresent(t ->
                db.sql("update api_token set last_used_at = now() where id = ?").param(t.id()).update());
        return token.flatMap(t -> accounts.find(t.accountId())).filter(AccountUser::enabled);
    }

    private static Instant instant(java.sql.Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
