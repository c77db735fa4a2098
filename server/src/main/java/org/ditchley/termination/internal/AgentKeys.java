package org.ditchley.termination.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.ditchley.agent.ProtocolException;
import org.ditchley.agent.Signed;
import org.ditchley.platform.InvalidInputException;
import org.ditchley.platform.NotFoundException;
import org.ditchley.registry.Deployments;
import org.ditchley.tlog.MalformedNoteException;
import org.ditchley.tlog.NoteVerifier;
import org.springframework.stereotype.Component;

/**
 * Authenticates agents: a message names its deployment, and must be signed by the key enrolled
 * for that deployment and, where it carries a time, be within {@link #WINDOW} of the node's clock.
 */
@Component
class AgentKeys {

    static final Duration WINDOW = Duration.ofMinutes(2);

    private final Deployments deployments;

    AgentKeys(Deployments deployments) {
        this.deployments = deployments;
    }

    /** The deployment {@code id}, which must exist and have an enrolled agent. */
    Deployments.Copy enrolled(UUID id) {
        Deployments.Copy copy = deployments.find(id).orElseThrow(() -> new NotFoundException("deployment", id));
        if (copy.agentKey() == null) {
            throw AgentRefusedException.unauthenticated("deployment " + id + " has no enrolled agent key");
        }
        return copy;
    }

    /** The text of {@code note}, verified with {@code copy}'s enrolled agent key. */
    String open(byte[] note, Deployments.Copy copy) {
        NoteVerifier key;
        try {
            key = NoteVerifier.parse(copy.agentKey());
        } catch (MalformedNoteException e) {
            throw new IllegalStateException("enrolled agent key of deployment " + copy.id() + " is malformed", e);
        }
        try {
            return Signed.open(note, key);
        } catch (ProtocolException e) {
            throw AgentRefusedException.unauthenticated("not signed by the agent key enrolled for deployment " + copy.id() + ": "
                    + e.getMessage());
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
        String s = new String(note, java.nio.charset.StandardCharsets.UTF_8);
        int split = s.lastIndexOf("\n\n");
        if (split < 0) {
            throw new InvalidInputException("body", "is not a signed note: no blank line before its signatures");
        }
        return s.substring(0, split + 1);
    }

    static InvalidInputException malformed(ProtocolException e) {
        return new InvalidInputException("body", e.getMessage());
    }
}
