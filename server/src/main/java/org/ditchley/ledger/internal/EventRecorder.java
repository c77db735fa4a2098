package org.ditchley.ledger.internal;

import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.ditchley.platform.Hashes;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Puts every event the modules publish (past-tense records under {@code org.ditchley}) on the
 * ledger, synchronously, in the transaction that publishes it. The entry is canonical JSON of
 * the event's type, the record it is about, who acted, when, and the SHA-256 of the full event
 * as JSON, which is kept beside the entry.
 */
@Component
class EventRecorder {

    private final LedgerStore store;
    private final JsonMapper json;

    EventRecorder(LedgerStore store, JsonMapper json) {
        this.store = store;
        this.json = json;
    }

    @EventListener
    void on(Object event) {
        Class<?> type = event.getClass();
        if (!type.isRecord() || !type.getName().startsWith("org.ditchley.")) {
            return;
        }
        byte[] record = json.writeValueAsBytes(event);
        store.append(entry(event, record), record, recordId(event));
    }

    /** The record an event is about: its first UUID component other than the actor. */
    static UUID recordId(Object event) {
        for (RecordComponent c : event.getClass().getRecordComponents()) {
            if (c.getType() == UUID.class && !c.getName().equals("by")) {
                try {
                    return (UUID) c.getAccessor().invoke(event);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return null;
    }

    static byte[] entry(Object event, byte[] record) {
        Map<String, String> members = new HashMap<>();
        members.put("type", event.getClass().getSimpleName());
        members.put("sha256", HexFormat.of().formatHex(Hashes.sha256(record)));
        for (RecordComponent c : event.getClass().getRecordComponents()) {
            Object value;
            try {
                value = c.getAccessor().invoke(event);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            if (value == null) {
                continue;
            }
            if (value instanceof UUID id && !members.containsKey("id") && !c.getName().equals("by")) {
                members.put("id", id.toString());
            } else if (c.getName().equals("by")) {
                members.put("by", value.toString());
            } else if (c.getName().equals("organisationId")) {
                members.put("organisation", value.toString());
            } else if (value instanceof Instant at && c.getName().equals("at")) {
                members.put("time", at.toString());
            }
        }
        return CanonicalJson.of(members);
    }
}
