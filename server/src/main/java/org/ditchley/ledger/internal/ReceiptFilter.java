package org.ditchley.ledger.internal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Tells a filer where its filing went on the ledger. A successful API request that changed
 * anything answers, besides its body, with {@code Ditchley-Ledger-Entries} (the indexes of the
 * entries it filed, at most {@value #LISTED}, with {@code Ditchley-Ledger-Entries-Total} when
 * there were more) and a {@code Link} with {@code rel="receipt"} for each: the
 * c2sp.org/tlog-proof receipt, served as soon as a checkpoint covers the entry.
 *
 * <p>The response waits until the sequencer has committed those indexes (milliseconds), at most
 * {@value #WAIT_MS} ms; a filing still queued after that is answered without the headers, and its
 * entries can be found later under {@code /ledger/records/{id}}. A client that sends
 * {@code Prefer: return=minimal} (RFC 7240) is answered at once, without them: machines filing at
 * a high rate (agents' halt receipts) do not wait for the sequencer.
 */
@Component
class ReceiptFilter extends OncePerRequestFilter {

    static final int LISTED = 64;
    static final long WAIT_MS = 5_000;

    /** How long to wait on this node's sequencer before asking the database, where another node's sequencer records it. */
    static final long SLICE_MS = 250;

    private final Sequencer sequencer;
    private final LedgerStore store;

    ReceiptFilter(Sequencer sequencer, LedgerStore store) {
        this.sequencer = sequencer;
        this.store = store;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String method = request.getMethod();
        return !request.getRequestURI().startsWith(request.getContextPath() + "/api/")
                || method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ContentCachingResponseWrapper wrapped = new ContentCachingResponseWrapper(response);
        FiledEntries.begin();
        List<Long> seqs;
        try {
            chain.doFilter(request, wrapped);
        } finally {
            seqs = FiledEntries.end();
        }
        if (!seqs.isEmpty() && wrapped.getStatus() < 300 && !minimal(request)) {
            List<Long> indexes = indexes(seqs.subList(0, Math.min(LISTED, seqs.size())));
            if (!indexes.isEmpty()) {
                wrapped.setHeader("Ditchley-Ledger-Entries", String.join(", ", indexes.stream().map(String::valueOf).toList()));
                if (seqs.size() > LISTED) {
                    wrapped.setHeader("Ditchley-Ledger-Entries-Total", String.valueOf(seqs.size()));
                }
                for (long i : indexes) {
                    wrapped.addHeader("Link", "<" + request.getContextPath() + "/ledger/entries/" + i + "/receipt>; rel=\"receipt\"");
                }
            }
        }
        wrapped.copyBodyToResponse();
    }

    static boolean minimal(HttpServletRequest request) {
        for (var values = request.getHeaders("Prefer"); values.hasMoreElements(); ) {
            for (String preference : values.nextElement().split(",")) {
                if (preference.strip().equalsIgnoreCase("return=minimal")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The indexes the committed queued entries {@code seqs} received: from this node's sequencer
     * as soon as it commits them, or from the database when another node's sequencer took them;
     * empty if not all are known within {@value #WAIT_MS} ms.
     */
    private List<Long> indexes(List<Long> seqs) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        List<Long> out = new ArrayList<>();
        try {
            for (long seq : seqs) {
                Long index = null;
                CompletableFuture<Long> local = sequencer.indexOf(seq);
                while (index == null) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        sequencer.forget(seqs);
                        return List.of();
                    }
                    try {
                        index = local.get(Math.min(left, TimeUnit.MILLISECONDS.toNanos(SLICE_MS)), TimeUnit.NANOSECONDS);
                    } catch (TimeoutException e) {
                        index = store.indexOfQueued(seq).orElse(null);
                    }
                }
                out.add(index);
            }
        } catch (ExecutionException e) {
            sequencer.forget(seqs);
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sequencer.forget(seqs);
            return List.of();
        }
        sequencer.forget(seqs);
        return out;
    }
}
