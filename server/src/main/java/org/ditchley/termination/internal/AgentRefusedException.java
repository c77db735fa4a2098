package org.ditchley.termination.internal;

import org.ditchley.platform.DitchleyException;
import org.springframework.http.HttpStatus;

/**
 * A request from an agent that is refused: its signature does not verify with the deployment's
 * enrolled key or its time is too far from the node's (401), or the deployment may not hold a
 * license (403), or it replays a nonce (409). The message says which.
 */
class AgentRefusedException extends DitchleyException {

    private final HttpStatus status;
    private final String slug;

    AgentRefusedException(HttpStatus status, String slug, String message) {
        super(message);
        this.status = status;
        this.slug = slug;
    }

    static AgentRefusedException unauthenticated(String message) {
        return new AgentRefusedException(HttpStatus.UNAUTHORIZED, "agent-signature", message);
    }

    static AgentRefusedException noLicense(String message) {
        return new AgentRefusedException(HttpStatus.FORBIDDEN, "license-refused", message);
    }

    @Override
    public HttpStatus status() {
        return status;
    }

    @Override
    public String slug() {
        return slug;
    }
}
