package org.ditchley.tlog;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The decision of a c2sp.org/tlog-witness witness on an {@code add-checkpoint} request: cosign, or
 * refuse with the status the spec names. Which logs it trusts and what it last cosigned for each
 * are the caller's; the compare-and-set of the latest checkpoint must be atomic.
 */
public final class Witness {

    /** The witness's record of the latest checkpoint it cosigned per origin. */
    public interface State {
        Optional<Checkpoint> latest(String origin);

        /** Records {@code next} if the latest size for its origin is still {@code expectedSize}; false otherwise. */
        boolean compareAndSet(String origin, long expectedSize, Checkpoint next);
    }

    /** The outcome: an HTTP status and the body the spec prescribes for it. */
    public record Response(int status, String contentType, byte[] body) {
        static Response of(int status, String message) {
            return new Response(status, "text/plain; charset=utf-8", (message + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private final Cosigner cosigner;
    private final Map<String, NoteVerifier> logs;
    private final State state;
    private final Clock clock;

    /** @param logs the trusted log key for each origin */
    public Witness(Cosigner cosigner, Map<String, NoteVerifier> logs, State state, Clock clock) {
        this.cosigner = cosigner;
        this.logs = Map.copyOf(logs);
        this.state = state;
        this.clock = clock;
    }

    public Response addCheckpoint(byte[] body) {
        WitnessRequest request;
        Checkpoint checkpoint;
        try {
            request = WitnessRequest.parse(body);
            checkpoint = Checkpoint.parse(peekText(request.checkpoint()));
        } catch (MalformedNoteException e) {
            return Response.of(400, e.getMessage());
        }
        NoteVerifier log = logs.get(checkpoint.origin());
        if (log == null) {
            return Response.of(404, "unknown log origin " + checkpoint.origin());
        }
        try {
            Note.open(request.checkpoint(), List.of(log));
        } catch (UnverifiedNoteException e) {
            return Response.of(403, "no signature by the log's trusted key");
        } catch (TlogException e) {
            return Response.of(403, e.getMessage());
        }
        if (request.oldSize() > checkpoint.size()) {
            return Response.of(400, "old size " + request.oldSize() + " exceeds checkpoint size " + checkpoint.size());
        }
        Optional<Checkpoint> latest = state.latest(checkpoint.origin());
        long latestSize = latest.map(Checkpoint::size).orElse(0L);
        if (request.oldSize() != latestSize) {
            return new Response(409, "text/x.tlog.size", (latestSize + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        if (request.oldSize() == 0) {
            if (!request.proof().isEmpty()) {
                return Response.of(422, "the proof from size 0 must be empty");
            }
        } else if (request.oldSize() == checkpoint.size()) {
            if (!latest.get().root().equals(checkpoint.root())) {
                return Response.of(409, "same size " + checkpoint.size() + " with a different root: the log forked");
            }
        } else {
            try {
                MerkleProofs.verifyConsistency(request.oldSize(), checkpoint.size(), request.proof(), latest.get().root(),
                        checkpoint.root());
            } catch (ProofException e) {
                return Response.of(422, e.getMessage());
            }
        }
        if (!state.compareAndSet(checkpoint.origin(), latestSize, checkpoint)) {
            long now = state.latest(checkpoint.origin()).map(Checkpoint::size).orElse(0L);
            return new Response(409, "text/x.tlog.size", (now + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        Note.Signature cosignature = cosigner.cosign(checkpoint, clock.instant().getEpochSecond());
        return new Response(200, "text/plain; charset=utf-8", cosignature.line().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The text of a note without checking its signatures, to learn its origin. */
    private static String peekText(byte[] note) throws MalformedNoteException {
        try {
            Note.open(note, List.of());
        } catch (UnverifiedNoteException e) {
            return e.note().text();
        } catch (TlogException e) {
            throw new MalformedNoteException("checkpoint note: " + e.getMessage());
        }
        throw new IllegalStateException("a note opened with no keys cannot verify");
    }
}
