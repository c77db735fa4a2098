package org.ditchley.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.ditchley.support.Node;
import org.ditchley.support.NodeTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The node describes its API, reports its health, and answers unknown requests with problem details. */
@NodeTest
class ApiSurfaceTests {

    @Autowired
    Node node;

    @Test
    void theOpenApiDescriptionListsTheRegistry() {
        Node.Response docs = node.anonymous().get("/v3/api-docs");
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.json().get("paths").has("/api/v1/models")).isTrue();
        assertThat(docs.json().get("paths").has("/api/v1/imports/epoch")).isTrue();
        assertThat(node.anonymous().get("/swagger-ui/index.html").status()).isEqualTo(200);
    }

    @Test
    void probesAnswerWithoutSigningIn() {
        assertThat(node.anonymous().get("/actuator/health/readiness").json().get("status").asString()).isEqualTo("UP");
        assertThat(node.anonymous().get("/actuator/health/liveness").json().get("status").asString()).isEqualTo("UP");
    }

    @Test
    void metricsAreForRegulators() {
        Node.Response metrics = node.regulator().get("/actuator/prometheus");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("http_server_requests_seconds");
        assertThat(node.developer().get("/actuator/prometheus").status()).isEqualTo(403);
    }

    @Test
    void unknownPathsAndMethodsAreProblemDetails() {
        Node.Response missing = node.anonymous().get("/api/v1/no-such-thing");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.contentType()).startsWith("application/problem+json");
        Node.Response method = node.anonymous().delete("/api/v1/chips");
        assertThat(method.status()).isEqualTo(405);
        assertThat(method.contentType()).startsWith("application/problem+json");
    }

    /** Requests Jetty refuses before any application code sees them are problem details too, not Jetty's HTML page. */
    @Test
    void requestsTheServerRefusesItselfAreProblemDetails() throws Exception {
        String host = "Host: localhost\r\n";
        Map<String, String> requests = new java.util.LinkedHashMap<>();
        requests.put("431", "GET /api/v1/models HTTP/1.1\r\n" + host + "X-Big: " + "A".repeat(20_000) + "\r\n\r\n");
        requests.put("414", "GET /api/v1/" + "a".repeat(20_000) + " HTTP/1.1\r\n" + host + "\r\n");
        requests.put("400", "GET /api/v1/models HTTP/1.1\r\n" + host + "a header line without a colon\r\n\r\n");
        requests.put("400 ", "GET /api/v1/models HTTP/1.1\r\n" + host + "Content-Length: -5\r\n\r\n");
        for (var e : requests.entrySet()) {
            String answer = raw(e.getValue());
            String head = answer.substring(0, Math.max(0, answer.indexOf("\r\n\r\n")));
            assertThat(head).as(e.getValue().substring(0, Math.min(30, e.getValue().length())) + " -> " + answer.substring(0, Math.min(300, answer.length()))).startsWith("HTTP/1.1 " + e.getKey().strip())
                    .containsIgnoringCase("Content-Type: application/problem+json");
            tools.jackson.databind.JsonNode problem = tools.jackson.databind.json.JsonMapper.builder().build()
                    .readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
            assertThat(problem.get("status").asInt()).isEqualTo(Integer.parseInt(e.getKey().strip()));
            assertThat(problem.get("detail").asString()).isNotBlank().doesNotContain("<");
        }
    }

    private String raw(String request) throws Exception {
        java.net.URI uri = node.uri("/");
        try (java.net.Socket s = new java.net.Socket(uri.getHost(), uri.getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            s.shutdownOutput();
            return new String(s.getInputStream().readNBytes(1 << 20), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
