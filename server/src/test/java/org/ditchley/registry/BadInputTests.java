package org.ditchley.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.util.Map;
import org.ditchley.support.Node;
import org.ditchley.support.NodeTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Malformed, mistyped, absurd and oversized input gets a 4xx problem detail that names what was wrong. */
@NodeTest
class BadInputTests {

    @Autowired
    Node node;

    Node.Response post(String body) {
        return node.developer().send("POST", "/api/v1/models", "application/json", HttpRequest.BodyPublishers.ofString(body));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "truncated JSON          | {\"name\": \"x\"                                   | 400 | malformed JSON",
            "not JSON                | <xml/>                                             | 400 | malformed JSON",
            "array not object        | []                                                 | 400 | ",
            "wrong type              | {\"name\": \"x\", \"parametersTotal\": \"many\"}   | 400 | parametersTotal",
            "negative compute        | {\"name\": \"x\", \"reportedCompute\": -1}         | 400 | reportedCompute",
            "overflowing number      | {\"name\": \"x\", \"reportedCompute\": 1e400}      | 400 | reportedCompute",
            "absurd compute          | {\"name\": \"x\", \"reportedCompute\": 1e40}       | 400 | reportedCompute",
            "utilisation above one   | {\"name\": \"x\", \"utilisation\": 1.5}            | 400 | utilisation",
            "missing name            | {\"modality\": \"language\"}                       | 400 | name",
            "control characters     | {\"name\": \"a\\u0000b\"}                          | 400 | name",
            "unknown status          | {\"name\": \"x\", \"status\": \"ALIVE\"}           | 400 | status",
            "unknown chip            | {\"name\": \"x\", \"hardwareChip\": \"Z9000\"}     | 400 | hardwareChip",
            "impossible date         | {\"name\": \"x\", \"publicationDate\": \"2024-02-30\"} | 400 | publicationDate",
    })
    void refused(String what, String body, int status, String names) {
        Node.Response r = post(body);
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        if (names != null) {
            assertThat(r.json().get("detail").asString()).contains(names);
        }
    }

    @Test
    void deeplyNestedJsonIsRefused() {
        Node.Response r = post("{\"name\":" + "[".repeat(5000) + "]".repeat(5000) + "}");
        assertThat(r.status()).isEqualTo(400);
    }

    @Test
    void anOversizedBodyIsRefusedWith413() {
        Node.Response r = post("{\"name\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}");
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.json().get("detail").asString()).contains("exceeds the limit");
    }

    @Test
    void anOversizedChunkedBodyIsRefusedWith413() {
        byte[] big = ("{\"name\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}").getBytes();
        Node.Response r = node.developer().send("POST", "/api/v1/models", "application/json",
                HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big)));
        assertThat(r.status()).isEqualTo(413);
    }

    @Test
    void badPathAndQueryParametersAreNamed() {
        Node.Response badId = node.anonymous().get("/api/v1/models/not-a-uuid");
        assertThat(badId.status()).isEqualTo(400);
        assertThat(badId.json().get("detail").asString()).contains("'id'");
        assertThat(node.anonymous().get("/api/v1/models/00000000-0000-0000-0000-000000000000").status()).isEqualTo(404);
        assertThat(node.anonymous().get("/api/v1/models?size=100000").json().get("detail").asString()).contains("size");
        assertThat(node.anonymous().get("/api/v1/models?page=-1").status()).isEqualTo(400);
        assertThat(node.anonymous().get("/api/v1/models?status=ALIVE").json().get("detail").asString()).contains("status");
        assertThat(node.anonymous().get("/api/v1/models?q=" + "%25_".repeat(50)).status()).isEqualTo(200);
    }

    @Test
    void aBadTrainingRunNamesTheField() {
        Node.Caller dev = node.developer();
        String model = dev.post("/api/v1/models", Map.of("name", "Run target")).json().get("id").asString();
        Node.Response r = dev.post("/api/v1/training-runs", Map.of("modelId", model, "plannedCompute", 1e22,
                "plannedStart", "2030-02-01T00:00:00Z", "plannedEnd", "2030-01-01T00:00:00Z"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("field").asString()).isEqualTo("plannedEnd");
    }

    @Test
    void aNonUtf8CsvIsRefused() {
        Node.Response r = node.regulator().send("POST", "/api/v1/imports/epoch", "text/csv",
                HttpRequest.BodyPublishers.ofByteArray(new byte[] {'M', 'o', 'd', 'e', 'l', '\n', (byte) 0xff, (byte) 0xfe, '\n'}));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("detail").asString()).contains("UTF-8");
    }
}
