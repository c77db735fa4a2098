package org.ditchley.identity.internal;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.ditchley.identity.AccountCreated;
import org.ditchley.identity.Actor;
import org.ditchley.identity.Organisation;
import org.ditchley.identity.OrganisationKind;
import org.ditchley.identity.Role;
import org.ditchley.platform.ConflictException;
import org.ditchley.platform.InvalidInputException;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Accounts: created at set-up or from an invitation, signed in by e-mail and password. */
@Service
class AccountStore implements UserDetailsService {

    static final int MIN_PASSWORD = 12;
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]{1,255}$");

    private static final String SELECT = """
            select a.id, a.email, a.display_name, a.password_hash, a.roles, a.enabled,
                   o.id as organisation_id, o.kind
              from account a join organisation o on o.id = a.organisation_id
            """;

    private final JdbcClient db;
    private final PasswordEncoder passwords;
    private final ApplicationEventPublisher events;

    AccountStore(JdbcClient db, PasswordEncoder passwords, ApplicationEventPublisher events) {
        this.db = db;
        this.passwords = passwords;
        this.events = events;
    }

    @Override
    public AccountUser loadUserByUsername(String email) {
        return db.sql(SELECT + " where lower(a.email) = lower(?)").param(email).query(AccountStore::map).optional()
                .orElseThrow(() -> new UsernameNotFoundException("no account for that e-mail"));
    }

    Optional<AccountUser> find(UUID id) {
        return db.sql(SELECT + " where a.id = ?").param(id).query(AccountStore::map).optional();
    }

    boolean any() {
        return db.sql("select exists (select 1 from account)").query(Boolean.class).single();
    }

    @Transactional
    Actor create(Organisation organisation, String email, String displayName, String password, Set<Role> roles) {
        String cleanEmail = requireEmail(email);
        String name = OrganisationStore.requireText("name", displayName, 200);
        if (password == null || password.length() < MIN_PASSWORD) {
            throw new InvalidInputException("password", "must be at least " + MIN_PASSWORD + " characters");
        }
        if (password.length() > 200) {
            throw new InvalidInputException("password", "is longer than 200 characters");
        }
        requireRolesAllowed(organisation.kind(), roles);
        if (db.sql("select exists (select 1 from account where lower(email) = lower(?))").param(cleanEmail)
                .query(Boolean.class).single()) {
            throw new ConflictException("duplicate-account", "an account for " + cleanEmail + " already exists");
        }
        UUID id = db.sql("""
                insert into account (organisation_id, email, display_name, password_hash, roles)
                values (?, ?, ?, ?, ?) returning id""")
                .params(organisation.id(), cleanEmail, name, passwords.encode(password),
                        roles.stream().map(Role::name).sorted().toArray(String[]::new))
                .query(UUID.class).single();
        events.publishEvent(new AccountCreated(id, organisation.id(), Set.copyOf(roles), Instant.now()));
        return new Actor(id, organisation.id(), organisation.kind(), roles, name);
    }

    static String requireEmail(String email) {
        if (email == null || !EMAIL.matcher(email.strip()).matches()) {
            throw new InvalidInputException("email", "is not an e-mail address");
        }
        return email.strip();
    }

    static void requireRolesAllowed(OrganisationKind kind, Set<Role> roles) {
        if (roles == null || roles.isEmpty()) {
            throw new InvalidInputException("roles", "at least one role is required");
        }
        for (Role role : roles) {
            if (!kind.allowedRoles().contains(role)) {
                throw new InvalidInputException("roles", "an account of a " + kind + " organisation cannot hold " + role
                        + " (allowed: " + kind.allowedRoles() + ")");
            }
        }
    }

    static AccountUser map(ResultSet rs, int row) throws SQLException {
        Actor actor = new Actor(rs.getObject("id", UUID.class), rs.getObject("organisation_id", UUID.class),
                OrganisationKind.valueOf(rs.getString("kind")), roles(rs.getArray("roles")),
                rs.getString("display_name"));
        return new AccountUser(actor, rs.getString("email"), rs.getString("password_hash"), rs.getBoolean("enabled"));
    }

    static Set<Role> roles(Array array) throws SQLException {
        EnumSet<Role> roles = EnumSet.noneOf(Role.class);
        Arrays.stream((String[]) array.getArray()).map(Role::valueOf).forEach(roles::add);
        return roles;
    }
}
