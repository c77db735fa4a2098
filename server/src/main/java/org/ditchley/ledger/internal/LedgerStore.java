package org.ditchley.ledger.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.ditchley.platform.NotFoundException;
import org.ditchley.tlog.Checkpoint;
import org.ditchley.tlog.Hash;
import org.ditchley.tlog.HashTile;
import org.ditchley.tlog.NoteVerifier;
import org.ditchley.tlog.TlogException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The ledger in PostgreSQL: the queue of entries waiting for an index, the sequenced entries, the
 * hash tiles, the size and root they make, and the signed checkpoints.
 */
@Repository
class LedgerStore {

    /** A queued entry with its queue position. */
    record Queued(long seq, Pending entry) {
    }

    /** The tree as the sequencer last committed it. */
    record State(long size, Hash root) {
    }

    private final JdbcClient db;

    LedgerStore(JdbcClient db) {
        this.db = db;
    }

    /** Queues {@code entries} in the caller's transaction, in order with one statement; returns their queue sequence numbers, in the same order. */
    List<Long> queueAll(List<Pending> entries) {
        if (entries.isEmpty()) {
            return List.of();
        }
        int n = entries.size();
        byte[][] bodies = new byte[n][];
        byte[][] records = new byte[n][];
        String[] ids = new String[n];
        byte[][] salts = new byte[n][];
        byte[][] committed = new byte[n][];
        for (int i = 0; i < n; i++) {
            Pending p = entries.get(i);
            bodies[i] = p.body();
            records[i] = p.record();
            ids[i] = p.recordId() == null ? null : p.recordId().toString();
            salts[i] = p.salt();
            committed[i] = p.committed();
        }
        return db.sql("""
                insert into ledger_queue (body, record, record_id, salt, committed)
                select b, r, i, s, c from unnest(?::bytea[], ?::bytea[], ?::uuid[], ?::bytea[], ?::bytea[]) with ordinality as u(b, r, i, s, c, o)
                 order by o
                returning seq""").params(bodies, records, ids, salts, committed).query(Long.class).list().stream().sorted().toList();
    }

    /**
     * Deletes and returns the {@code ?} oldest committed entries: every visible entry up to the
     * highest sequence number among them, found once. The queue is empty most of the time, so its
     * statistics usually say so; written as {@code seq in (select … limit ?)}, the planner then
     * expects one row and runs the subquery again for every entry it deletes, which took 2.9 s
     * for 3,000 entries where this form takes milliseconds.
     */
    static final String TAKE = """
            delete from ledger_queue where seq <= (select max(seq) from (select seq from ledger_queue order by seq limit ?) oldest)
            returning seq, body, record, record_id, salt, committed""";

    /**
     * Takes up to {@code limit} committed entries off the queue, oldest first. One statement reads
     * and deletes them, so exactly the entries returned leave the queue, and they come back if the
     * transaction rolls back.
     */
    List<Queued> take(int limit) {
        return db.sql(TAKE).param(limit)
                .query((rs, n) -> new Queued(rs.getLong(1),
                        new Pending(rs.getBytes(2), rs.getBytes(3), rs.getObject(4, UUID.class), rs.getBytes(5), rs.getBytes(6))))
                .list().stream().sorted(java.util.Comparator.comparingLong(Queued::seq)).toList();
    }

    /** The committed tree, locked against other sequencers until the transaction ends. */
    State lockState() {
        return db.sql("select size, root from ledger_state where id = 1 for update")
                .query((rs, n) -> new State(rs.getLong(1), rs.getBytes(2) == null ? null : Hash.of(rs.getBytes(2)))).single();
    }

    State state() {
        return db.sql("select size, root from ledger_state where id = 1")
                .query((rs, n) -> new State(rs.getLong(1), rs.getBytes(2) == null ? null : Hash.of(rs.getBytes(2)))).single();
    }

    void saveState(long size, Hash root) {
        db.sql("update ledger_state set size = ?, root = ? where id = 1").params(size, root.bytes()).update();
    }

    /**
     * Inserts {@code entries} at indexes {@code first}, {@code first + 1}, … in one statement;
     * {@code queueSeqs} gives each entry's queue sequence number, or null for a direct append.
     */
    void insertEntries(long first, List<Pending> entries, List<Long> queueSeqs) {
        int n = entries.size();
        Long[] seqs = queueSeqs.toArray(new Long[0]);
        Long[] idx = new Long[n];
        byte[][] bodies = new byte[n][];
        byte[][] records = new byte[n][];
        String[] ids = new String[n];
        byte[][] salts = new byte[n][];
        byte[][] committed = new byte[n][];
        for (int i = 0; i < n; i++) {
            idx[i] = first + i;
            bodies[i] = entries.get(i).body();
            records[i] = entries.get(i).record();
            ids[i] = entries.get(i).recordId() == null ? null : entries.get(i).recordId().toString();
            salts[i] = entries.get(i).salt();
            committed[i] = entries.get(i).committed();
        }
        db.sql("""
                insert into ledger_entry (idx, body, record, record_id, salt, committed, queue_seq)
                select * from unnest(?::bigint[], ?::bytea[], ?::bytea[], ?::uuid[], ?::bytea[], ?::bytea[], ?::bigint[])""")
                .params(idx, bodies, records, ids, salts, committed, seqs).update();
    }

    /** The index that queued entry {@code seq} received, if a sequencer has committed it. */
    java.util.Optional<Long> indexOfQueued(long seq) {
        return db.sql("select idx from ledger_entry where queue_seq = ?").param(seq).query(Long.class).optional();
    }

    /** Stores tiles; a stored tile is only ever replaced by a wider one. */
    void saveTiles(List<HashTile> tiles) {
        if (tiles.isEmpty()) {
            return;
        }
        int n = tiles.size();
        Integer[] levels = new Integer[n];
        Long[] idx = new Long[n];
        byte[][] data = new byte[n][];
        for (int i = 0; i < n; i++) {
            levels[i] = tiles.get(i).level();
            idx[i] = tiles.get(i).index();
            data[i] = tiles.get(i).data();
        }
        db.sql("""
                insert into ledger_tile (level, idx, hashes)
                select l::smallint, i, h from unnest(?::int[], ?::bigint[], ?::bytea[]) as t (l, i, h)
                on conflict (level, idx) do update set hashes = excluded.hashes
                where length(excluded.hashes) > length(ledger_tile.hashes)""")
                .params(levels, idx, data).update();
    }

    /** The stored bytes of hash tile {@code level}/{@code index}, at the widest it has grown to. */
    Optional<byte[]> tile(int level, long index) {
        return db.sql("select hashes from ledger_tile where level = ? and idx = ?").params(level, index).query(byte[].class).optional();
    }

    List<byte[]> entries(long from, long to) {
        return db.sql("select body from ledger_entry where idx >= ? and idx < ? order by idx").params(from, to)
                .query(byte[].class).list();
    }

    /** How many sequenced entries there are about each of {@code ids} (absent: none). */
    Map<UUID, Long> entriesAbout(java.util.Collection<UUID> ids) {
        Map<UUID, Long> out = new java.util.HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        db.sql("select record_id, count(*) from ledger_entry where record_id = any(?::uuid[]) group by record_id")
                .param(ids.stream().map(UUID::toString).toArray(String[]::new))
                .query((rs, n) -> out.put(rs.getObject(1, UUID.class), rs.getLong(2))).list();
        return out;
    }

    /** The indexes of the entries about record {@code id}, oldest first. */
    List<Long> indexesOf(UUID id) {
        return db.sql("select idx from ledger_entry where record_id = ? order by idx limit 1000").param(id).query(Long.class).list();
    }

    /** The last {@code limit} entries below {@code size}, newest first, as index and text. */
    List<Map.Entry<Long, String>> recent(long size, int limit) {
        return db.sql("select idx, body from ledger_entry where idx < ? order by idx desc limit ?").params(size, limit)
                .query((rs, n) -> Map.entry(rs.getLong(1), new String(rs.getBytes(2), StandardCharsets.UTF_8)))
                .list();
    }

    Optional<byte[]> entry(long index) {
        return db.sql("select body from ledger_entry where idx = ?").param(index).query(byte[].class).optional();
    }

    /** A sequenced entry with what opens it, if it is a commitment. */
    record Opening(long index, byte[] body, byte[] record, byte[] salt, byte[] committed) {
    }

    Optional<Opening> opening(long index) {
        return db.sql("select idx, body, record, salt, committed from ledger_entry where idx = ?").param(index)
                .query((rs, n) -> new Opening(rs.getLong(1), rs.getBytes(2), rs.getBytes(3), rs.getBytes(4), rs.getBytes(5)))
                .optional();
    }

    Optional<byte[]> latestCheckpoint() {
        return db.sql("select note from ledger_checkpoint order by size desc limit 1").query(byte[].class).optional();
    }

    /** The latest checkpoint, verified with the log's own key; 404 before the first one is signed. */
    Checkpoint published(NoteVerifier key) throws TlogException {
        byte[] note = latestCheckpoint().orElseThrow(() -> new NotFoundException("checkpoint", "(none yet)"));
        return Checkpoint.open(note, key);
    }

    long latestCheckpointSize() {
        return db.sql("select coalesce(max(size), -1) from ledger_checkpoint").query(Long.class).single();
    }

    void saveCheckpoint(long size, byte[] note) {
        db.sql("insert into ledger_checkpoint (size, note) values (?, ?) on conflict (size) do nothing").params(size, note).update();
    }
}
