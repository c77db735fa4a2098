package org.ditchley.ledger.internal;

import java.util.Objects;
import java.util.UUID;

/**
 * An entry waiting for its index: the canonical JSON {@code body} that goes on the log, the full
 * {@code record} whose SHA-256 it carries (kept beside the log, never on it), and the id of the
 * registry record it is about, if any. For a confidential record the body is a commitment, and
 * {@code salt} and {@code committed} (the canonical entry it commits to) open it; both are null
 * otherwise.
 */
record Pending(byte[] body, byte[] record, UUID recordId, byte[] salt, byte[] committed) {

    /** Entries are read back as tile bundles, whose 16-bit lengths bound them (c2sp.org/tlog-tiles). */
    static final int MAX_BODY = 0xffff;

    Pending(byte[] body, byte[] record, UUID recordId) {
        this(body, record, recordId, null, null);
    }

    /**
     * This entry as the {@code version}th entry about its record: a {@code "version"} member is
     * added to the canonical entry (it sorts after every other member, so the form stays
     * canonical), and a commitment is recomputed over the versioned entry with the same salt.
     */
    Pending version(long version) {
        if (recordId == null) {
            throw new IllegalStateException("an entry about no record has no version");
        }
        if (salt == null) {
            return new Pending(Entries.withVersion(body, version), record, recordId, null, null);
        }
        byte[] versioned = Entries.withVersion(committed, version);
        return new Pending(Entries.commitment(Entries.typeOf(body), salt, versioned), record, recordId, salt, versioned);
    }

    Pending {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(record, "record");
        if (body.length == 0 || body.length > MAX_BODY) {
            throw new IllegalArgumentException("a ledger entry has 1 to " + MAX_BODY + " bytes, not " + body.length);
        }
        if ((salt == null) != (committed == null) || (salt != null && salt.length != 32)) {
            throw new IllegalArgumentException("a commitment is opened by a 32-byte salt and the committed entry");
        }
    }
}
