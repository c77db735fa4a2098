package org.ditchley.ledger.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.ditchley.platform.Confidential;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Ledger entries are RFC 8785 canonical JSON, versioned by the sequencer, and confidential ones are commitments. */
class EntriesTests {

    record ThingFiled(UUID thingId, UUID organisationId, String detail, UUID by, Instant at) {
    }

    @Confidential
    record SecretFiled(UUID secretId, UUID organisationId, double compute, UUID by, Instant at) {
    }

    static final JsonMapper JSON = JsonMapper.builder().build();

    static List<String> keys(byte[] json) {
        List<String> keys = new ArrayList<>();
        JSON.readTree(json).propertyNames().forEach(keys::add);
        return keys;
    }

    @Test
    void aVersionedEntryKeepsItsMembersInCanonicalOrder() {
        ThingFiled event = new ThingFiled(UUID.randomUUID(), UUID.randomUUID(), "x", UUID.randomUUID(), Instant.parse("2026-11-28T07:00:00Z"));
        Pending entry = Entries.of(event, JSON).version(7);
        List<String> keys = keys(entry.body());
        assertThat(keys).containsExactly("by", "id", "organisation", "sha256", "time", "type", "version");
        assertThat(keys).isSorted();
        JsonNode json = JSON.readTree(entry.body());
        assertThat(json.get("version").asLong()).isEqualTo(7);
        assertThat(json.get("id").asString()).isEqualTo(event.thingId().toString());
        assertThat(new String(entry.body(), StandardCharsets.UTF_8)).doesNotContain(" ").doesNotContain("\n");
    }

    @Test
    void versionsAreCountedFromOneAndGivenOnce() {
        byte[] entry = "{\"type\":\"T\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(new String(Entries.withVersion(entry, 1), StandardCharsets.UTF_8)).isEqualTo("{\"type\":\"T\",\"version\":1}");
        assertThat(new String(Entries.withVersion("{}".getBytes(StandardCharsets.UTF_8), 2), StandardCharsets.UTF_8))
                .isEqualTo("{\"version\":2}");
        assertThatThrownBy(() -> Entries.withVersion(entry, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Entries.withVersion(Entries.withVersion(entry, 1), 2)).isInstanceOf(IllegalArgumentException.class);
        Pending noRecord = new Pending(entry, entry, null);
        assertThatThrownBy(() -> noRecord.version(1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aConfidentialRecordIsACommitmentThatItsOpeningReproduces() {
        SecretFiled event = new SecretFiled(UUID.randomUUID(), UUID.randomUUID(), 3.1e25, UUID.randomUUID(), Instant.now());
        Pending a = Entries.of(event, JSON).version(1);
        Pending b = Entries.of(event, JSON).version(1);
        assertThat(keys(a.body())).containsExactly("commitment", "type");
        assertThat(new String(a.body(), StandardCharsets.UTF_8)).doesNotContain(event.secretId().toString()).contains("\"type\":\"SecretFiled\"");
        assertThat(a.body()).as("fresh salt: the same record never gives the same commitment").isNotEqualTo(b.body());
        String commitment = JSON.readTree(a.body()).get("commitment").asString();
        assertThat(java.util.HexFormat.of().formatHex(org.ditchley.platform.Hashes.sha256(a.salt(), a.committed()))).isEqualTo(commitment);
        assertThat(JSON.readTree(a.committed()).get("version").asLong()).isEqualTo(1);
        assertThat(JSON.readTree(a.committed()).get("id").asString()).isEqualTo(event.secretId().toString());
        assertThat(Map.of("salt", a.salt().length)).containsEntry("salt", 32);
    }

    @Test
    void onlyRecordsOfDitchleyModulesAreEntries() {
        assertThat(Entries.recordable("a string")).isFalse();
        assertThat(Entries.recordable(new ThingFiled(null, null, null, null, null))).isTrue();
        assertThatThrownBy(() -> Entries.of(Map.of(), JSON)).isInstanceOf(IllegalArgumentException.class);
    }
}
