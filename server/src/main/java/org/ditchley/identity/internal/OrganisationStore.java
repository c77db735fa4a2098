package org.ditchley.identity.internal;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.ditchley.identity.Organisation;
import org.ditchley.identity.OrganisationCreated;
import org.ditchley.identity.OrganisationKind;
import org.ditchley.identity.Organisations;
import org.ditchley.platform.ConflictException;
import org.ditchley.platform.InvalidInputException;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
class OrganisationStore implements Organisations {

    static final int MAX_NAME = 200;

    private static final RowMapper<Organisation> ROW = (rs, n) -> new Organisation(
            rs.getObject("id", UUID.class), rs.getString("name"),
            OrganisationKind.valueOf(rs.getString("kind")), rs.getString("jurisdiction"));

    private final JdbcClient db;
    private final ApplicationEventPublisher events;

    OrganisationStore(JdbcClient db, ApplicationEventPublisher events) {
        this.db = db;
        this.events = events;
    }

    @Override
    public Optional<Organisation> find(UUID id) {
        return db.sql("select * from organisation where id = ?").param(id).query(ROW).optional();
    }

    @Override
    public Optional<Organisation> findByName(String name) {
        return db.sql("select * from organisation where lower(name) = lower(?)").param(name).query(ROW).optional();
    }

    @Override
    public List<Organisation> all() {
        return db.sql("select * from organisation order by lower(name)").query(ROW).list();
    }

    @Override
    public Map<UUID, String> names(Collection<UUID> ids) {
        Map<UUID, String> names = new HashMap<>();
        if (ids.isEmpty()) {
            return names;
        }
        db.sql("select id, name from organisation where id = any(?)")
                .param(ids.stream().distinct().toArray(UUID[]::new))
                .query((rs, n) -> names.put(rs.getObject("id", UUID.class), rs.getString("name"))).list();
        return names;
    }

    @Override
    @Transactional
    public Organisation findOrCreate(String name, OrganisationKind kind, String jurisdiction) {
        return findByName(name.strip()).orElseGet(() -> create(name, kind, jurisdiction, null));
    }

    @Transactional
    Organisation create(String name, OrganisationKind kind, String jurisdiction, UUID by) {
        String cleanName = requireText("name", name, MAX_NAME);
        String cleanJurisdiction = requireText("jurisdiction", jurisdiction, 100);
        if (kind == null) {
            throw new InvalidInputException("kind", "is required");
        }
        if (findByName(cleanName).isPresent()) {
            throw new ConflictException("duplicate-organisation", "an organisation called '" + cleanName + "' already exists");
        }
        UUID id = db.sql("insert into organisation (name, kind, jurisdiction) values (?, ?, ?) returning id")
                .params(cleanName, kind.name(), cleanJurisdiction).query(UUID.class).single();
        events.publishEvent(new OrganisationCreated(id, cleanName, kind, cleanJurisdiction, by, Instant.now()));
        return new Organisation(id, cleanName, kind, cleanJurisdiction);
    }

    static String requireText(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(field, "is required");
        }
        String clean = value.strip();
        if (clean.length() > max) {
            throw new InvalidInputException(field, "is longer than " + max + " characters");
        }
        if (clean.chars().anyMatch(c -> Character.isISOControl(c))) {
            throw new InvalidInputException(field, "contains control characters");
        }
        return clean;
    }
}
