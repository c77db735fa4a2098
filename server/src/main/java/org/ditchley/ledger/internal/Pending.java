package org.ditchley.ledger.internal;

import java.util.Objects;
import java.util.UUID;

/**
 * An entry waiting for its index: the canonical JSON {@code body} that goes on the log, the full
 * {@code record} whose SHA-256 it carries (kept beside the log, never on it), and the id of the
 * registry record it is about, if any.
 */
record Pending(byte[] body, byte[] record, UUID recordId) {

    /** Entries are read back as tile bundles, whose 16-bit lengths bound them (c2sp.org/tlog-tiles). */
    static final int MAX_BODY = 0xffff;

    Pending {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(record, "record");
        if (body.length == 0 || body.length > MAX_BODY) {
            throw new IllegalArgumentException("a ledger entry has 1 to " + MAX_BODY + " bytes, not " + body.length);
        }
    }
}
