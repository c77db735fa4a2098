package org.ditchley.termination.internal;

import jakarta.annotation.security.PermitAll;
import java.util.Base64;
import org.ditchley.agent.StreamAuth;
import org.ditchley.platform.InvalidInputException;
import org.ditchley.registry.Deployments;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The stream of stop orders deployments' agents keep open. No API token: the request carries a
 * note signed with the key enrolled for the deployment it names, so it is open to any caller at
 * the HTTP layer and refused with a problem detail when the signature does not verify. Agents'
 * licenses and halt receipts are served by {@link AgentRequests}.
 */
@RestController
@RequestMapping("/api/v1/agent")
class AgentApi {

    private final OrderStreams streams;
    private final AgentKeys keys;

    AgentApi(OrderStreams streams, AgentKeys keys) {
        this.streams = streams;
        this.keys = keys;
    }

    /** The stream of stop orders for the deployment named in the signed {@code Ditchley-Agent-Auth} header (base64). */
    @GetMapping(path = "/orders", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @PermitAll
    SseEmitter orders(@RequestHeader(name = "Ditchley-Agent-Auth", required = false) String auth) {
        if (auth == null || auth.isBlank()) {
            throw new InvalidInputException("Ditchley-Agent-Auth", "is required: a signed stream request, base64-encoded");
        }
        if (auth.length() > 8192) {
            throw new InvalidInputException("Ditchley-Agent-Auth", "is longer than 8192 characters");
        }
        byte[] note;
        try {
            note = Base64.getDecoder().decode(auth.strip());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("Ditchley-Agent-Auth", "is not base64");
        }
        AgentKeys.Authenticated<StreamAuth> verified = keys.authenticate(note, StreamAuth::parse, StreamAuth::deployment);
        AgentKeys.fresh(verified.message().time(), java.time.Instant.now());
        Deployments.Copy copy = keys.enrolled(verified.message().deployment());
        keys.confirm(note, copy.id(), copy, verified.agentKey());
        return streams.open(copy);
    }
}
