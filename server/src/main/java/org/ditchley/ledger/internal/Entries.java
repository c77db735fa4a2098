package org.ditchley.ledger.internal;

import java.lang.reflect.RecordComponent;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.ditchley.platform.Confidential;
import org.ditchley.platform.Hashes;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns the records the modules publish (past-tense records under {@code org.ditchley}) into
 * ledger entries: canonical JSON (RFC 8785) of the record's type, the record it is about, who
 * acted, for which organisation, when, and the SHA-256 of the full record as JSON; the sequencer
 * adds the entry's {@code version}, its position among the entries about that record. A record
 * marked {@link Confidential} goes on the log only as a salted commitment to that entry.
 */
final class Entries {

    /** Each event type's record components, looked up once per type rather than once per event. */
    private static final ClassValue<RecordComponent[]> COMPONENTS = new ClassValue<>() {
        @Override
        protected RecordComponent[] computeValue(Class<?> type) {
            return type.getRecordComponents();
        }
    };

    private static final SecureRandom RANDOM = new SecureRandom();

    private Entries() {
    }

    static boolean recordable(Object event) {
        Class<?> type = event.getClass();
        return type.isRecord() && type.getName().startsWith("org.ditchley.");
    }

    static Pending of(Object event, JsonMapper json) {
        if (!recordable(event)) {
            throw new IllegalArgumentException(event.getClass().getName() + " is not a record of a Ditchley module");
        }
        byte[] record = json.writeValueAsBytes(event);
        byte[] entry = entry(event, record);
        if (!event.getClass().isAnnotationPresent(Confidential.class)) {
            return new Pending(entry, record, recordId(event));
        }
        byte[] salt = new byte[32];
        RANDOM.nextBytes(salt);
        return new Pending(commitment(event.getClass().getSimpleName(), salt, entry), record, recordId(event), salt, entry);
    }

    /**
     * The entry that stands for a confidential record: its type and
     * {@code SHA-256(salt ‖ committed)} in hex, as canonical JSON.
     */
    static byte[] commitment(String type, byte[] salt, byte[] committed) {
        return CanonicalJson.of(Map.of("type", type, "commitment", HexFormat.of().formatHex(Hashes.sha256(salt, committed))));
    }

    /**
     * {@code entry} with {@code "version": version} added. Every other member of an entry sorts
     * before {@code version}, so appending it keeps the RFC 8785 member order.
     */
    static byte[] withVersion(byte[] entry, long version) {
        if (version < 1 || entry.length < 2 || entry[entry.length - 1] != '}') {
            throw new IllegalArgumentException("cannot version entry with version " + version);
        }
        String text = new String(entry, java.nio.charset.StandardCharsets.UTF_8);
        if (text.contains("\"version\":")) {
            throw new IllegalArgumentException("entry already has a version");
        }
        return (text.substring(0, text.length() - 1) + (text.length() > 2 ? "," : "") + "\"version\":" + version + "}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The type named in an entry made by this class: a Java simple name, which JSON never escapes. */
    static String typeOf(byte[] entry) {
        String text = new String(entry, java.nio.charset.StandardCharsets.UTF_8);
        int at = text.indexOf("\"type\":\"");
        if (at < 0) {
            throw new IllegalArgumentException("entry has no type");
        }
        int from = at + "\"type\":\"".length();
        return text.substring(from, text.indexOf('"', from));
    }

    /** The record an event is about: its first UUID component other than the actor. */
    static UUID recordId(Object event) {
        for (RecordComponent c : COMPONENTS.get(event.getClass())) {
            if (c.getType() == UUID.class && !c.getName().equals("by")) {
                return (UUID) value(event, c);
            }
        }
        return null;
    }

    static byte[] entry(Object event, byte[] record) {
        Map<String, String> members = new HashMap<>();
        members.put("type", event.getClass().getSimpleName());
        members.put("sha256", HexFormat.of().formatHex(Hashes.sha256(record)));
        for (RecordComponent c : COMPONENTS.get(event.getClass())) {
            Object value = value(event, c);
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

    private static Object value(Object event, RecordComponent c) {
        try {
            return c.getAccessor().invoke(event);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + c.getName() + " of " + event.getClass().getName(), e);
        }
    }
}
