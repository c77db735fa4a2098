/**
 * The ledger: every event of the other modules becomes a small canonical JSON entry on an
 * append-only, C2SP-compatible transparency log, in the same transaction as the change it
 * records, so nothing acknowledged escapes the log. Signed checkpoints follow within a second;
 * the log is read through c2sp.org/tlog-tiles under {@code /ledger/}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Ledger")
package org.ditchley.ledger;
