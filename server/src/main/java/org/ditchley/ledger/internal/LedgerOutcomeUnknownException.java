package org.ditchley.ledger.internal;

/**
 * The commit of a sequencer batch failed, so its direct appends may or may not be on the log:
 * the database may have committed before the failure reached the sequencer. A caller that must
 * not file twice looks its record up under {@code /ledger/records/{id}} before filing again.
 */
final class LedgerOutcomeUnknownException extends IllegalStateException {

    LedgerOutcomeUnknownException(Throwable cause) {
        super("the ledger batch failed while it was committed; its entries may or may not be on the log: " + cause, cause);
    }
}
