package org.ditchley.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ditchley.support.Node;
import org.ditchley.support.NodeTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

@NodeTest
class ModelRegistrationTests {

    @Autowired
    Node node;

    static Map<String, Object> model(String name, Object... more) {
        Map<String, Object> body = new HashMap<>(Map.of("name", name, "modality", "language"));
        for (int i = 0; i < more.length; i += 2) {
            body.put((String) more[i], more[i + 1]);
        }
        return body;
    }

    @Test
    void developerRegistersAModelAndSeesItsEstimatesAndThresholds() {
        Node.Caller dev = node.developer();
        Node.Response r = dev.post("/api/v1/models", model("Llama-like 405B", "parametersTotal", 405e9,
                "parametersActive", 405e9, "trainingTokens", 15.6e12));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        JsonNode m = r.json();
        assertThat(m.get("developerId").asString()).isEqualTo(dev.organisationId.toString());
        assertThat(m.get("status").asString()).isEqualTo("REGISTERED");
        JsonNode used = m.get("compute").get("used");
        assertThat(used.get("basis").asString()).isEqualTo("PARAMETERS");
        assertThat(used.get("estimate").asBoolean()).isTrue();
        assertThat(used.get("flop").asDouble()).isCloseTo(3.79e25, org.assertj.core.data.Percentage.withPercentage(0.1));
        Map<String, JsonNode> thresholds = new HashMap<>();
        m.get("thresholds").forEach(t -> thresholds.put(t.get("rule").asString(), t));
        assertThat(thresholds.get("EU_AI_ACT_SYSTEMIC").get("crossed").asBoolean()).isTrue();
        assertThat(thresholds.get("EU_AI_ACT_SYSTEMIC").get("why").asString()).contains("estimated").contains("3.79e25");
        assertThat(thresholds.get("US_CA_FRONTIER").get("crossed").asBoolean()).isFalse();

        JsonNode fetched = node.anonymous().get("/api/v1/models/" + m.get("id").asString()).json();
        assertThat(fetched.get("name").asString()).isEqualTo("Llama-like 405B");
        assertThat(fetched.get("deployments").asLong()).isZero();
    }

    @Test
    void hardwareEstimateIsShownBesideTheReportedFigureWhichIsUsed() {
        Node.Caller dev = node.developer();
        JsonNode m = dev.post("/api/v1/models", model("GPT-4-like", "reportedCompute", 2.1e25, "computeMethod", "internal",
                "hardwareChip", "A100", "hardwareQuantity", 25000, "trainingHours", 2280, "utilisation", 0.34)).json();
        JsonNode compute = m.get("compute");
        assertThat(compute.get("hardware").get("flop").asDouble()).isCloseTo(2.18e25, org.assertj.core.data.Percentage.withPercentage(0.5));
        assertThat(compute.get("used").get("basis").asString()).isEqualTo("REPORTED");
        assertThat(compute.get("used").get("estimate").asBoolean()).isFalse();
    }

    @Test
    void illegalTransitionsAreRefusedNamingTheCurrentStatus() {
        Node.Caller dev = node.developer();
        String id = dev.post("/api/v1/models", model("Planned one", "status", "PLANNED")).json().get("id").asString();
        Node.Response skip = dev.post("/api/v1/models/" + id + "/status", Map.of("status", "SUSPENDED"));
        assertThat(skip.status()).isEqualTo(409);
        assertThat(skip.json().get("detail").asString()).contains("is PLANNED");
        Node.Response terminateOwn = dev.post("/api/v1/models/" + id + "/status", Map.of("status", "TERMINATED"));
        assertThat(terminateOwn.status()).isEqualTo(403);

        Node.Response authorise = node.regulator().post("/api/v1/models/" + id + "/status", Map.of("status", "AUTHORISED_FOR_DEPLOYMENT"));
        assertThat(authorise.status()).isEqualTo(409);
        assertThat(authorise.json().get("detail").asString()).contains("is PLANNED").contains("AUTHORISED_FOR_DEPLOYMENT");

        assertThat(dev.post("/api/v1/models/" + id + "/status", Map.of("status", "IN_TRAINING")).status()).isEqualTo(200);
        assertThat(dev.post("/api/v1/models/" + id + "/status", Map.of("status", "REGISTERED")).status()).isEqualTo(200);
        Node.Response selfAuthorise = dev.post("/api/v1/models/" + id + "/status", Map.of("status", "AUTHORISED_FOR_DEPLOYMENT"));
        assertThat(selfAuthorise.status()).isEqualTo(403);
        assertThat(node.regulator().post("/api/v1/models/" + id + "/status",
                Map.of("status", "AUTHORISED_FOR_DEPLOYMENT")).status()).isEqualTo(200);
        Node.Response noReason = node.regulator().post("/api/v1/models/" + id + "/status", Map.of("status", "TERMINATED"));
        assertThat(noReason.status()).isEqualTo(400);
        assertThat(node.regulator().post("/api/v1/models/" + id + "/status",
                Map.of("status", "TERMINATED", "reason", "crossed a red line")).status()).isEqualTo(200);
        Node.Response revive = node.regulator().post("/api/v1/models/" + id + "/status", Map.of("status", "REGISTERED"));
        assertThat(revive.status()).isEqualTo(409);
        assertThat(revive.json().get("detail").asString()).contains("is TERMINATED");
    }

    @Test
    void lineageIsQueriedTransitivelyAndCyclesAreRefused() {
        Node.Caller dev = node.developer();
        String base = dev.post("/api/v1/models", model("Base")).json().get("id").asString();
        String tuned = dev.post("/api/v1/models", model("Tuned")).json().get("id").asString();
        String quant = dev.post("/api/v1/models", model("Tuned Q4")).json().get("id").asString();
        String other = dev.post("/api/v1/models", model("Other")).json().get("id").asString();
        String merged = dev.post("/api/v1/models", model("Merged")).json().get("id").asString();
        assertThat(dev.post("/api/v1/models/" + tuned + "/parents", Map.of("parentId", base, "relation", "FINETUNE")).status()).isEqualTo(201);
        assertThat(dev.post("/api/v1/models/" + quant + "/parents", Map.of("parentId", tuned, "relation", "QUANTIZED")).status()).isEqualTo(201);
        dev.post("/api/v1/models/" + merged + "/parents", Map.of("parentId", quant, "relation", "MERGE"));
        dev.post("/api/v1/models/" + merged + "/parents", Map.of("parentId", other, "relation", "MERGE"));

        assertThat(ids(node.anonymous().get("/api/v1/models/" + merged + "/ancestors").json()))
                .containsExactlyInAnyOrder(quant, other, tuned, base);
        assertThat(ids(node.anonymous().get("/api/v1/models/" + base + "/descendants").json()))
                .containsExactlyInAnyOrder(tuned, quant, merged);
        assertThat(node.anonymous().get("/api/v1/models/" + merged + "/ancestors").json().get(0).get("depth").asInt()).isEqualTo(1);

        Node.Response cycle = dev.post("/api/v1/models/" + base + "/parents", Map.of("parentId", merged, "relation", "DISTILLED"));
        assertThat(cycle.status()).isEqualTo(409);
        assertThat(cycle.json().get("detail").asString()).contains("cycle");
        assertThat(dev.post("/api/v1/models/" + base + "/parents", Map.of("parentId", base, "relation", "FINETUNE")).status()).isEqualTo(400);
    }

    @Test
    void aRunCrossingAThresholdMustBeRegisteredBeforeItStarts() {
        Node.Caller dev = node.developer();
        String id = dev.post("/api/v1/models", model("Next frontier", "status", "PLANNED")).json().get("id").asString();
        Instant past = Instant.now().minus(1, ChronoUnit.DAYS);
        Instant future = Instant.now().plus(10, ChronoUnit.DAYS);
        Node.Response late = dev.post("/api/v1/training-runs", Map.of("modelId", id, "plannedCompute", 3e25,
                "plannedStart", past.toString(), "plannedEnd", future.toString()));
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.json().get("detail").asString()).contains("EU_AI_ACT_SYSTEMIC").contains("before it starts");

        Node.Response small = dev.post("/api/v1/training-runs", Map.of("modelId", id, "plannedCompute", 1e23,
                "plannedStart", past.toString(), "plannedEnd", future.toString()));
        assertThat(small.status()).isEqualTo(201);

        Node.Response onTime = dev.post("/api/v1/training-runs", Map.of("modelId", id, "chipId", "H100-SXM",
                "chipCount", 20000, "precision", "BF16", "utilisation", 0.4, "clusters", List.of("cluster-a"),
                "providers", List.of("Provider A", "Provider B"),
                "plannedStart", future.toString(), "plannedEnd", future.plus(90, ChronoUnit.DAYS).toString()));
        assertThat(onTime.status()).as(onTime.toString()).isEqualTo(201);
        double expected = 20000 * 989.4e12 * 0.4 * 90 * 24 * 3600;
        assertThat(onTime.json().get("plannedCompute").asDouble()).isCloseTo(expected, org.assertj.core.data.Percentage.withPercentage(0.01));
        String runId = onTime.json().get("id").asString();
        assertThat(dev.get("/api/v1/training-runs/" + runId).status()).isEqualTo(200);
        assertThat(node.developer().get("/api/v1/training-runs/" + runId).status()).isEqualTo(404);
        assertThat(node.regulator().get("/api/v1/training-runs/" + runId).status()).isEqualTo(200);
    }

    @Test
    void aFrontierModelMayOnlyRunOnceAuthorised() {
        Node.Caller dev = node.developer();
        String id = dev.post("/api/v1/models", model("Frontier X", "reportedCompute", 5e25)).json().get("id").asString();
        Node.Caller deployer = node.account(node.organisation("DEPLOYER"), "DEPLOYER");
        Node.Response active = deployer.post("/api/v1/deployments", Map.of("modelId", id, "locationKind", "CLOUD_REGION",
                "location", "eu-west-1", "endpoint", "https://x.example/v1", "status", "ACTIVE"));
        assertThat(active.status()).isEqualTo(409);
        assertThat(active.json().get("detail").asString()).contains("REGISTERED").contains("AUTHORISED_FOR_DEPLOYMENT");

        Node.Response planned = deployer.post("/api/v1/deployments", Map.of("modelId", id, "locationKind", "CLOUD_REGION",
                "location", "eu-west-1", "endpoint", "https://x.example/v1"));
        assertThat(planned.status()).isEqualTo(201);
        String deployment = planned.json().get("id").asString();
        node.regulator().post("/api/v1/models/" + id + "/status", Map.of("status", "AUTHORISED_FOR_DEPLOYMENT"));
        assertThat(deployer.post("/api/v1/deployments/" + deployment + "/status", Map.of("status", "ACTIVE")).status()).isEqualTo(200);
        assertThat(node.anonymous().get("/api/v1/models/" + id).json().get("deployments").asLong()).isEqualTo(1);
        assertThat(node.anonymous().get("/api/v1/deployments/" + deployment).status()).isEqualTo(401);

        Node.Caller distributor = node.account(node.organisation("DISTRIBUTOR"), "DISTRIBUTOR");
        Node.Response sale = distributor.post("/api/v1/distributions", Map.of("modelId", id, "channel", "API",
                "terms", "commercial API terms", "jurisdictions", List.of("EU", "US")));
        assertThat(sale.status()).isEqualTo(201);
        assertThat(node.anonymous().get("/api/v1/models/" + id + "/distributions").json()).hasSize(1);
    }

    @Test
    void filtersByDeveloperStatusAndThreshold() {
        Node.Caller dev = node.developer();
        dev.post("/api/v1/models", model("Small one", "reportedCompute", 1e22));
        dev.post("/api/v1/models", model("Big one", "reportedCompute", 2e26));
        dev.post("/api/v1/models", model("Plan one", "status", "PLANNED"));
        String base = "/api/v1/models?developer=" + dev.organisationId;
        assertThat(node.anonymous().get(base).json().get("total").asLong()).isEqualTo(3);
        assertThat(names(node.anonymous().get(base + "&threshold=US_CA_FRONTIER").json())).containsExactly("Big one");
        assertThat(names(node.anonymous().get(base + "&status=PLANNED").json())).containsExactly("Plan one");
        assertThat(names(node.anonymous().get(base + "&q=SMALL").json())).containsExactly("Small one");
        Node.Response unknownRule = node.anonymous().get(base + "&threshold=NO_SUCH_RULE");
        assertThat(unknownRule.status()).isEqualTo(400);
        assertThat(unknownRule.json().get("detail").asString()).contains("NO_SUCH_RULE");
    }

    @Test
    void aNewPolicyVersionChangesWhichModelsCross() {
        Node.Caller dev = node.developer();
        String id = dev.post("/api/v1/models", model("Mid one", "reportedCompute", 5e24)).json().get("id").asString();
        assertThat(node.anonymous().get("/api/v1/models/" + id).json().get("thresholds").get(0).get("crossed").asBoolean()).isFalse();
        Node.Response published = node.regulator().post("/api/v1/threshold-policy", Map.of("title", "Lower bar", "rules", List.of(
                Map.of("key", "TEST_LOW", "label", "Test rule", "jurisdiction", "TEST", "metric", "TRAINING_COMPUTE",
                        "comparator", "GE", "value", 5e24, "precisionConvention", "FLOP"))));
        try {
            assertThat(published.status()).as(published.toString()).isEqualTo(201);
            JsonNode t = node.anonymous().get("/api/v1/models/" + id).json().get("thresholds").get(0);
            assertThat(t.get("rule").asString()).isEqualTo("TEST_LOW");
            assertThat(t.get("crossed").asBoolean()).isTrue();
        } finally {
            node.regulator().post("/api/v1/threshold-policy", Map.of("title", "Restored", "rules",
                    node.anonymous().get("/api/v1/threshold-policy/versions/1").json().get("rules")));
        }
        assertThat(node.anonymous().get("/api/v1/threshold-policy").json().get("rules")).hasSize(2);
    }

    static List<String> ids(JsonNode array) {
        List<String> ids = new java.util.ArrayList<>();
        array.forEach(n -> ids.add(n.get("id").asString()));
        return ids;
    }

    static List<String> names(JsonNode page) {
        List<String> names = new java.util.ArrayList<>();
        page.get("items").forEach(n -> names.add(n.get("name").asString()));
        return names;
    }
}
