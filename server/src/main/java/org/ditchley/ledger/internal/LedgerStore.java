package org.ditchley.ledger.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ditchley.tlog.Hash;
import org.ditchley.tlog.Rfc6962;
import org.ditchley.tlog.StoredHashes;
import org.ditchley.tlog.TlogException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** Entries, stored hashes and checkpoints of the ledger in PostgreSQL. */
@Repository
class LedgerStore {

    private final JdbcClient db;

    LedgerStore(JdbcClient db) {
        this.db = db;
    }

    /**
     * Appends {@code body} as the next entry (with the full {@code record} it digests), inside the
     * caller's transaction when there is one: the row lock on
     * {@code ledger_state} makes appenders take turns, so indexes have no gaps and no duplicates,
     * and the entry commits or rolls back with the change it records. Returns its index.
     */
    @Transactional
    long append(byte[] body, byte[] record, java.util.UUID recordId) {
        long n = db.sql("select size from ledger_state where id = 1 for update").query(Long.class).single();
        Hash leaf = Rfc6962.leafHash(body);
        Map<Long, Hash> siblings = read(siblingIndexes(n));
        List<Hash> hashes;
        try {
            hashes = StoredHashes.append(n, leaf, i -> siblings.get(i));
        } catch (TlogException e) {
            throw new IllegalStateException("stored hashes of the ledger are incomplete at size " + n, e);
        }
        db.sql("insert into ledger_entry (idx, body, record, record_id) values (?, ?, ?, ?)").params(n, body, record, recordId).update();
        long at = StoredHashes.count(n);
        for (Hash h : hashes) {
            db.sql("insert into ledger_hash (idx, hash) values (?, ?)").params(at++, h.bytes()).update();
        }
        db.sql("update ledger_state set size = ? where id = 1").param(n + 1).update();
        return n;
    }

    /** The stored-hash indexes that leaf {@code n} combines with: the left siblings of the subtrees it completes. */
    static List<Long> siblingIndexes(long n) {
        List<Long> indexes = new java.util.ArrayList<>();
        long m = n;
        for (int level = 0; (m & 1) == 1; level++) {
            indexes.add(StoredHashes.index(level, m - 1));
            m >>= 1;
        }
        return indexes;
    }

    Map<Long, Hash> read(List<Long> indexes) {
        Map<Long, Hash> out = new HashMap<>();
        if (indexes.isEmpty()) {
            return out;
        }
        db.sql("select idx, hash from ledger_hash where idx = any(?)").param(indexes.toArray(Long[]::new))
                .query((rs, i) -> out.put(rs.getLong(1), Hash.of(rs.getBytes(2)))).list();
        return out;
    }

    /** A reader of stored hashes for roots, proofs and tiles. */
    StoredHashes.Reader reader() {
        return index -> db.sql("select hash from ledger_hash where idx = ?").param(index).query(byte[].class).optional()
                .map(Hash::of).orElseThrow(() -> new TlogException("no stored hash " + index));
    }

    long size() {
        return db.sql("select size from ledger_state where id = 1").query(Long.class).single();
    }

    List<byte[]> entries(long from, long to) {
        return db.sql("select body from ledger_entry where idx >= ? and idx < ? order by idx").params(from, to)
                .query(byte[].class).list();
    }

    /** The indexes of the entries about record {@code id}, oldest first. */
    List<Long> indexesOf(java.util.UUID id) {
        return db.sql("select idx from ledger_entry where record_id = ? order by idx limit 1000").param(id).query(Long.class).list();
    }

    /** The last {@code limit} entries below {@code size}, newest first, as index and text. */
    List<Map.Entry<Long, String>> recent(long size, int limit) {
        return db.sql("select idx, body from ledger_entry where idx < ? order by idx desc limit ?").params(size, limit)
                .query((rs, n) -> Map.entry(rs.getLong(1), new String(rs.getBytes(2), java.nio.charset.StandardCharsets.UTF_8)))
                .list();
    }

    Optional<byte[]> entry(long index) {
        return db.sql("select body from ledger_entry where idx = ?").param(index).query(byte[].class).optional();
    }

    Optional<byte[]> latestCheckpoint() {
        return db.sql("select note from ledger_checkpoint order by size desc limit 1").query(byte[].class).optional();
    }

    /** The latest checkpoint, verified with the log's own key; 404 before the first one is signed. */
    org.ditchley.tlog.Checkpoint published(org.ditchley.tlog.NoteVerifier key) throws TlogException {
        byte[] note = latestCheckpoint().orElseThrow(() -> new org.ditchley.platform.NotFoundException("checkpoint", "(none yet)"));
        return org.ditchley.tlog.Checkpoint.open(note, key);
    }

    long latestCheckpointSize() {
        return db.sql("select coalesce(max(size), -1) from ledger_checkpoint").query(Long.class).single();
    }

    void saveCheckpoint(long size, byte[] note) {
        db.sql("insert into ledger_checkpoint (size, note) values (?, ?) on conflict (size) do nothing").params(size, note).update();
    }
}
