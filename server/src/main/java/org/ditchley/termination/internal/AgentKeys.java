package org.ditchley.termination.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.ditchley.agent.ProtocolException;
import org.ditchley.agent.Signed;
import org.ditchley.agent.StreamAuth;
import org.ditchley.platform.InvalidInputException;
import org.ditchley.registry.Deployments;
import org.ditchley.tlog.MalformedNoteException;
import org.ditchley.tlog.NoteVerifier;
import org.springframework.stereotype.Component;

/**
 * Authenticates agents: a message names its deployment, and must be signed by the key enrolled
 * for that deployment and, where it carries a time, be within {@link #WINDOW} of the node's clock.
 *
 * <p>Agents' requests are authenticated in the threads that receive them, before they reach a
 * batch, so enrolled keys are cached (parsed) for {@link #CACHED}. The cache never decides alone:
 * a signature that fails with a cached key is tried once more with the key read afresh, so a
 * re-enrolled agent is never refused, and a batch, which reads each deployment anyway, verifies
 * a request again if another key is enrolled than the one that verified it, so a replaced key
 * is refused at once. When an order takes effect, every covered agent's receipt arrives within
 * seconds, and each reading the database for its key would queue for the connection pool.
 */
@Component
class AgentKeys {

    static final Duration WINDOW = Duration.ofMinutes(2);
    static final Duration CACHED = Duration.ofMinutes(10);
    static final int CACHE_MAX = 200_000;

    /** The text of a note, verified with the enrolled key (its verifier-key text) that verified it. */
    record Verified(String text, String agentKey) {
    }

    private record Enrolled(String key, NoteVerifier verifier) {
    }

    private final Deployments deployments;
    private final Cache<UUID, Enrolled> cache = Caffeine.newBuilder().maximumSize(CACHE_MAX).expireAfterWrite(CACHED).build();

    AgentKeys(Deployments deployments) {
        this.deployments = deployments;
    }

    /**
     * The deployment {@code id}, which must exist and have an enrolled agent. A deployment that
     * does not exist is refused exactly as one without an agent, or with another agent's key:
     * unauthenticated callers learn nothing of which deployments exist.
     */
    Deployments.Copy enrolled(UUID id) {
        return deployments.find(id).filter(c -> c.agentKey() != null).orElseThrow(() -> notSigned(id));
    }

    /**
     * The text of {@code note}, verified with the agent key enrolled for {@code deployment}: the
     * deployment its unverified text names ({@link #unverifiedText}). Refuses with 401 if there is
     * no such deployment, it has no enrolled key, or the signature does not verify (the same
     * answer for all three).
     *
     * <p>Each caller parses its own kind of message, before and (if the verified text differs)
     * after this: no call here depends on the kind, so the compiled verification serves every
     * kind, and the first halt receipts of a node's first order do not send it back to the
     * JIT compiler as a call site seeing a new parser would.
     */
    Verified verify(byte[] note, UUID deployment) {
        Enrolled e = cache.getIfPresent(deployment);
        boolean cached = e != null;
        if (!cached) {
            e = read(deployment);
        }
        try {
            return new Verified(Signed.open(note, e.verifier()), e.key());
        } catch (ProtocolException first) {
            if (cached) {
                Enrolled now = read(deployment);
                if (!now.key().equals(e.key())) {
                    try {
                        return new Verified(Signed.open(note, now.verifier()), now.key());
                    } catch (ProtocolException again) {
                        throw notSigned(deployment);
                    }
                }
            }
            throw notSigned(deployment);
        }
    }

    /**
     * The deployment whose agent signed the stream request {@code auth} (the
     * {@code Ditchley-Agent-Auth} header: a {@link StreamAuth} note, base64-encoded): verified with
     * its enrolled key, within {@link #WINDOW} of the node's clock, and confirmed against the key
     * enrolled now. Refuses with 400 a header that is missing, longer than 8192 characters or not
     * base64, and as {@link #verify} otherwise.
     */
    Deployments.Copy streamRequester(String auth) {
        if (auth == null || auth.isBlank()) {
            throw new InvalidInputException("Ditchley-Agent-Auth", "is required: a signed stream request, base64-encoded");
        }
        if (auth.length() > 8192) {
            throw new InvalidInputException("Ditchley-Agent-Auth", "is longer than 8192 characters");
        }
        byte[] note;
        try {
            note = java.util.Base64.getDecoder().decode(auth.strip());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("Ditchley-Agent-Auth", "is not base64");
        }
        String unverified = unverifiedText(note);
        StreamAuth request = streamAuth(unverified);
        Verified verified = verify(note, request.deployment());
        if (!verified.text().equals(unverified)) {
            request = streamAuth(verified.text());
        }
        fresh(request.time(), Instant.now());
        Deployments.Copy copy = enrolled(request.deployment());
        confirm(note, copy.id(), copy, verified.agentKey());
        return copy;
    }

    /**
     * Confirms, in a batch that has read the deployment afresh ({@code copy}, null if it is gone),
     * that a message authenticated on arrival with {@code verifiedWith} is signed by the key
     * enrolled now: verified again if another key was enrolled meanwhile.
     */
    void confirm(byte[] note, UUID deployment, Deployments.Copy copy, String verifiedWith) {
        if (copy == null || copy.agentKey() == null) {
            throw notSigned(deployment);
        }
        if (!copy.agentKey().equals(verifiedWith)) {
            open(note, copy);
        }
    }

    private Enrolled read(UUID deployment) {
        Deployments.Copy copy = enrolled(deployment);
        Enrolled e = new Enrolled(copy.agentKey(), verifier(copy));
        cache.put(deployment, e);
        return e;
    }

    private static NoteVerifier verifier(Deployments.Copy copy) {
        try {
            return NoteVerifier.parse(copy.agentKey());
        } catch (MalformedNoteException e) {
            throw new IllegalStateException("enrolled agent key of deployment " + copy.id() + " is malformed", e);
        }
    }

    private static AgentRefusedException notSigned(UUID deployment) {
        return AgentRefusedException.unauthenticated("no agent key enrolled for deployment " + deployment
                + " verifies the message's signature");
    }

    /** The text of {@code note}, verified with {@code copy}'s enrolled agent key. */
    String open(byte[] note, Deployments.Copy copy) {
        try {
            return Signed.open(note, verifier(copy));
        } catch (ProtocolException e) {
            throw notSigned(copy.id());
        }
    }

    static void fresh(Instant time, Instant now) {
        if (Duration.between(time, now).abs().compareTo(WINDOW) > 0) {
            throw AgentRefusedException.unauthenticated("the message's time " + time + " is more than " + WINDOW.toMinutes()
                    + " minutes from the node's " + now);
        }
    }

    /** Unverified text of a note, to learn which deployment's key must have signed it. */
    static String unverifiedText(byte[] note) {
        if (note == null || note.length == 0) {
            throw new InvalidInputException("body", "is empty; a signed note is required");
        }
        if (note.length > 64 * 1024) {
            throw new InvalidInputException("body", "is " + note.length + " bytes, more than an agent message can be");
        }
        String text = textOf(note);
        if (text == null) {
            throw new InvalidInputException("body", "is not a signed note: no blank line before its signatures");
        }
        return text;
    }

    /** The text of a signed note, whatever its size (the node's own stored orders may exceed an agent message's limit); null if it has no signature block. */
    static String textOf(byte[] note) {
        String s = new String(note, java.nio.charset.StandardCharsets.UTF_8);
        int split = s.lastIndexOf("\n\n");
        return split < 0 ? null : s.substring(0, split + 1);
    }

    static InvalidInputException malformed(ProtocolException e) {
        return new InvalidInputException("body", e.getMessage());
    }

    private static StreamAuth streamAuth(String text) {
        try {
            return StreamAuth.parse(text);
        } catch (ProtocolException e) {
            throw new InvalidInputException("Ditchley-Agent-Auth", e.getMessage());
        }
    }
}
