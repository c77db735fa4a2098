package org.ditchley.ledger.internal;

import java.util.concurrent.CompletableFuture;
import org.ditchley.ledger.Ledger;
import org.ditchley.tlog.TlogException;
import org.springframework.stereotype.Service;

/** The ledger as other modules use it: direct appends through the sequencer, receipts from the tiles. */
@Service
class LedgerService implements Ledger {

    private final Sequencer sequencer;
    private final Receipts receipts;
    private final tools.jackson.databind.json.JsonMapper json;

    LedgerService(Sequencer sequencer, Receipts receipts, tools.jackson.databind.json.JsonMapper json) {
        this.sequencer = sequencer;
        this.receipts = receipts;
        this.json = json;
    }

    @Override
    public CompletableFuture<Long> append(Object record) {
        return sequencer.append(Entries.of(record, json));
    }

    @Override
    public byte[] receipt(long index) {
        try {
            return receipts.receipt(index, Receipts.WAIT);
        } catch (TlogException e) {
            throw new IllegalStateException("the ledger's tiles cannot prove entry " + index, e);
        }
    }
}
