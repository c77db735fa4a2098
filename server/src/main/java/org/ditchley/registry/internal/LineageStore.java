package org.ditchley.registry.internal;

import java.util.List;
import java.util.UUID;
import org.ditchley.registry.LineageRelation;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Declared lineage: a directed acyclic graph of parent → child edges between models. */
@Repository
public class LineageStore {

    /** Deepest ancestry followed; far beyond any real chain of derivations. */
    static final int MAX_DEPTH = 64;

    /** A model reached from the start, {@code depth} edges away, and the edge by which it was reached. */
    public record Relative(UUID id, String name, String version, String organisationName, int depth) {
    }

    public record Edge(UUID childId, UUID parentId, LineageRelation relation) {
    }

    private final JdbcClient db;

    LineageStore(JdbcClient db) {
        this.db = db;
    }

    void declare(UUID childId, UUID parentId, LineageRelation relation) {
        db.sql("""
                insert into model_parent (child_id, parent_id, relation) values (?, ?, ?)
                on conflict (child_id, parent_id) do update set relation = excluded.relation""")
                .params(childId, parentId, relation.name()).update();
    }

    List<Edge> parents(UUID childId) {
        return db.sql("select child_id, parent_id, relation from model_parent where child_id = ?").param(childId)
                .query((rs, n) -> new Edge(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        LineageRelation.valueOf(rs.getString(3)))).list();
    }

    /** Every ancestor of {@code id}, transitively, nearest first. */
    List<Relative> ancestors(UUID id) {
        return walk(id, "parent_id", "child_id");
    }

    /** Every descendant of {@code id}, transitively, nearest first. */
    List<Relative> descendants(UUID id) {
        return walk(id, "child_id", "parent_id");
    }

    /** The edges among {@code ids}. */
    List<Edge> edgesAmong(List<UUID> ids) {
        UUID[] array = ids.toArray(UUID[]::new);
        return db.sql("select child_id, parent_id, relation from model_parent where child_id = any(?) and parent_id = any(?)")
                .params(array, array)
                .query((rs, n) -> new Edge(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        LineageRelation.valueOf(rs.getString(3)))).list();
    }

    private List<Relative> walk(UUID id, String next, String from) {
        // UNION (not UNION ALL) with the depth cap keeps the walk finite even if a cycle were stored.
        return db.sql("""
                with recursive walk(id, depth) as (
                    select %1$s, 1 from model_parent where %2$s = ?
                  union
                    select p.%1$s, w.depth + 1 from model_parent p join walk w on p.%2$s = w.id where w.depth < ?
                )
                select m.id, m.name, m.version, o.name as organisation_name, min(w.depth) as depth
                  from walk w join model m on m.id = w.id join organisation o on o.id = m.organisation_id
                 where m.id <> ?
                 group by m.id, m.name, m.version, o.name
                 order by depth, m.name""".formatted(next, from))
                .params(id, MAX_DEPTH, id)
                .query((rs, n) -> new Relative(rs.getObject("id", UUID.class), rs.getString("name"),
                        rs.getString("version"), rs.getString("organisation_name"), rs.getInt("depth")))
                .list();
    }
}
