package org.ditchley.ledger.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The queue positions of the entries a request filed, collected while {@link ReceiptFilter}
 * handles it so that the response can name their ledger indexes.
 */
final class FiledEntries {

    private static final ThreadLocal<List<Long>> CURRENT = new ThreadLocal<>();

    private FiledEntries() {
    }

    static void begin() {
        CURRENT.set(new ArrayList<>());
    }

    static List<Long> end() {
        List<Long> seqs = CURRENT.get();
        CURRENT.remove();
        return seqs == null ? List.of() : seqs;
    }

    static void queued(long seq) {
        List<Long> seqs = CURRENT.get();
        if (seqs != null) {
            seqs.add(seq);
        }
    }
}
