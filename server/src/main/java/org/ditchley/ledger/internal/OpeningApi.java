package org.ditchley.ledger.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import org.ditchley.identity.Actor;
import org.ditchley.identity.Actors;
import org.ditchley.platform.NotFoundException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Opens a confidential entry: its salt, the canonical entry it commits to and the full record,
 * so that {@code SHA-256(salt ‖ committed)} can be checked against the commitment on the log.
 * Only regulators, members of the organisation the record belongs to, and the account that
 * acted may open it.
 */
@RestController
class OpeningApi {

    record Opening(long index, String entry, String salt, String committed, String record) {
    }

    private final LedgerStore store;
    private final JsonMapper json;

    OpeningApi(LedgerStore store, JsonMapper json) {
        this.store = store;
        this.json = json;
    }

    @GetMapping("/api/v1/ledger/entries/{index}/opening")
    @PreAuthorize("isAuthenticated()")
    Opening opening(@PathVariable long index) {
        Actor actor = Actors.require();
        LedgerStore.Opening o = store.opening(index).filter(e -> e.salt() != null)
                .orElseThrow(() -> new NotFoundException("confidential ledger entry", index));
        JsonNode committed = json.readTree(o.committed());
        if (!actor.isRegulator() && !actor.memberOf(uuid(committed, "organisation"))
                && !actor.accountId().equals(uuid(committed, "by"))) {
            throw new AccessDeniedException("ledger entry " + index + " belongs to another organisation");
        }
        return new Opening(index, new String(o.body(), StandardCharsets.UTF_8), Base64.getEncoder().encodeToString(o.salt()),
                new String(o.committed(), StandardCharsets.UTF_8), new String(o.record(), StandardCharsets.UTF_8));
    }

    private static UUID uuid(JsonNode entry, String member) {
        JsonNode value = entry.get(member);
        return value == null ? null : UUID.fromString(value.asString());
    }
}
