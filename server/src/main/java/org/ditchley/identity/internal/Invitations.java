package org.ditchley.identity.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import org.ditchley.identity.Actor;
import org.ditchley.identity.Organisation;
import org.ditchley.identity.Role;
import org.ditchley.platform.Hashes;
import org.ditchley.platform.InvalidInputException;
import org.ditchley.platform.NotFoundException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Invitations to open an account in an organisation with given roles. A regulator issues one;
 * its secret is shown once (to pass on to the invitee) and is spent on acceptance.
 */
@Service
class Invitations {

    private static final Duration LIFETIME = Duration.ofDays(7);

    record Issued(UUID id, UUID organisationId, String email, Set<Role> roles, String token, Instant expiresAt) {
    }

    /** What the invitee sees before accepting. */
    record Pending(UUID organisationId, String organisationName, String email, Set<Role> roles) {
    }

    private final JdbcClient db;
    private final OrganisationStore organisations;
    private final AccountStore accounts;

    Invitations(JdbcClient db, OrganisationStore organisations, AccountStore accounts) {
        this.db = db;
        this.organisations = organisations;
        this.accounts = accounts;
    }

    @Transactional
    Issued invite(Actor regulator, UUID organisationId, String email, Set<Role> roles) {
        Organisation organisation = organisations.find(organisationId)
                .orElseThrow(() -> new NotFoundException("organisation", organisationId));
        String cleanEmail = AccountStore.requireEmail(email);
        AccountStore.requireRolesAllowed(organisation.kind(), roles);
        String token = Hashes.newSecret("inv_");
        Instant expires = Instant.now().plus(LIFETIME);
        UUID id = db.sql("""
                insert into invitation (organisation_id, email, roles, token_hash, invited_by, expires_at)
                values (?, ?, ?, ?, ?, ?) returning id""")
                .params(organisationId, cleanEmail, roles.stream().map(Role::name).sorted().toArray(String[]::new),
                        Hashes.sha256(token), regulator.accountId(), java.sql.Timestamp.from(expires))
                .query(UUID.class).single();
        return new Issued(id, organisationId, cleanEmail, Set.copyOf(roles), token, expires);
    }

    Pending pending(String token) {
        return db.sql("""
                select i.organisation_id, o.name, i.email, i.roles from invitation i
                  join organisation o on o.id = i.organisation_id
                 where i.token_hash = ? and i.accepted_at is null and i.expires_at > now()""")
                .param(Hashes.sha256(token == null ? "" : token))
                .query((rs, n) -> new Pending(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                        AccountStore.roles(rs.getArray(4))))
                .optional()
                .orElseThrow(() -> new InvalidInputException("token", "is not a valid, unused invitation"));
    }

    /** Spends the invitation and creates the account it describes. */
    @Transactional
    Actor accept(String token, String name, String password) {
        if (token == null || token.length() > 100) {
            throw new InvalidInputException("token", "is missing or malformed");
        }
        record Row(UUID organisationId, String email, Set<Role> roles) {
        }
        Row row = db.sql("""
                update invitation set accepted_at = now()
                 where token_hash = ? and accepted_at is null and expires_at > now()
                returning organisation_id, email, roles""")
                .param(Hashes.sha256(token))
                .query((rs, n) -> new Row(rs.getObject(1, UUID.class), rs.getString(2), AccountStore.roles(rs.getArray(3))))
                .optional()
                .orElseThrow(() -> new InvalidInputException("token", "is not a valid, unused invitation"));
        Organisation organisation = organisations.find(row.organisationId()).orElseThrow();
        return accounts.create(organisation, row.email(), name, password, EnumSet.copyOf(row.roles()));
    }
}
