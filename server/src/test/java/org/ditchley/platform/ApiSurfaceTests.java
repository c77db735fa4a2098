package org.ditchley.platform;

import static org.assertj.core.api.Assertions.assertThat;

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
}
