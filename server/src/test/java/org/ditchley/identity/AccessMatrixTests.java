package org.ditchley.identity;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.annotation.security.PermitAll;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.ditchley.support.Node;
import org.ditchley.support.NodeTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Calls every API endpoint of the node as every kind of caller (anonymous, the regulator, and for
 * each other role an account of the organisation that owns the addressed record and one of
 * another organisation of the same kind) and checks that exactly the callers in its rule get
 * through. An endpoint missing from {@link #RULES} fails the test, so no endpoint is added
 * without deciding who may call it.
 */
@NodeTest
class AccessMatrixTests {

    enum Caller { ANON, REG, DEV, DEV2, DIS, DIS2, DEP, DEP2, CP, AUD, PEER }

    static final Set<Caller> ALL = EnumSet.allOf(Caller.class);
    static final Set<Caller> SIGNED_IN = EnumSet.complementOf(EnumSet.of(Caller.ANON));

    /** Who may call each endpoint, by {@code METHOD pattern}. */
    static final Map<String, Set<Caller>> RULES = new LinkedHashMap<>();

    static {
        rule("GET /api/v1/organisations", ALL);
        rule("GET /api/v1/organisations/{id}", ALL);
        rule("POST /api/v1/organisations", EnumSet.of(Caller.REG));
        rule("POST /api/v1/organisations/{id}/invitations", EnumSet.of(Caller.REG));
        rule("POST /api/v1/invitations/accept", ALL);
        rule("POST /api/v1/setup", ALL);
        rule("GET /api/v1/me", SIGNED_IN);
        rule("GET /api/v1/tokens", SIGNED_IN);
        rule("POST /api/v1/tokens", SIGNED_IN);
        rule("DELETE /api/v1/tokens/{id}", EnumSet.of(Caller.DEV, Caller.REG));
        rule("GET /api/v1/models", ALL);
        rule("GET /api/v1/models/{id}", ALL);
        rule("GET /api/v1/models/{id}/ancestors", ALL);
        rule("GET /api/v1/models/{id}/descendants", ALL);
        rule("GET /api/v1/models/{id}/lineage", ALL);
        rule("GET /api/v1/models/{id}/distributions", ALL);
        // the body names DEV's organisation: another developer may not register models for it
        rule("POST /api/v1/models", EnumSet.of(Caller.DEV, Caller.REG));
        rule("PUT /api/v1/models/{id}", EnumSet.of(Caller.DEV, Caller.REG));
        rule("POST /api/v1/models/{id}/status", EnumSet.of(Caller.DEV, Caller.REG));
        rule("POST /api/v1/models/{id}/parents", EnumSet.of(Caller.DEV, Caller.REG));
        rule("POST /api/v1/models/{id}/artifacts", EnumSet.of(Caller.DEV, Caller.REG));
        rule("GET /api/v1/models/{id}/artifacts", ALL);
        rule("GET /api/v1/models/{id}/detected-lineage", ALL);
        rule("POST /api/v1/identify", SIGNED_IN);
        rule("POST /api/v1/training-runs", EnumSet.of(Caller.DEV, Caller.REG));
        rule("GET /api/v1/training-runs", EnumSet.of(Caller.DEV, Caller.DEV2, Caller.REG));
        rule("GET /api/v1/training-runs/{id}", EnumSet.of(Caller.DEV, Caller.REG));
        rule("POST /api/v1/distributions", EnumSet.of(Caller.DIS, Caller.DIS2));
        rule("GET /api/v1/distributions/{id}", ALL);
        rule("POST /api/v1/deployments", EnumSet.of(Caller.DEP, Caller.DEP2));
        rule("GET /api/v1/deployments", EnumSet.of(Caller.DEP, Caller.DEP2, Caller.REG));
        rule("GET /api/v1/deployments/{id}", EnumSet.of(Caller.DEP, Caller.REG));
        rule("POST /api/v1/deployments/{id}/status", EnumSet.of(Caller.DEP, Caller.REG));
        rule("GET /api/v1/threshold-policy", ALL);
        rule("GET /api/v1/threshold-policy/versions", ALL);
        rule("GET /api/v1/threshold-policy/versions/{version}", ALL);
        rule("POST /api/v1/threshold-policy", EnumSet.of(Caller.REG));
        rule("GET /api/v1/chips", ALL);
        rule("POST /api/v1/imports/epoch", EnumSet.of(Caller.REG));
        rule("GET /api/v1/imports/{id}", EnumSet.of(Caller.REG));
        rule("GET /api/v1/review-queue", EnumSet.of(Caller.REG));
        rule("POST /api/v1/review-queue/{kind}/{id}", EnumSet.of(Caller.REG));
        // the developer's training run entry: its organisation and regulators only
        rule("GET /api/v1/ledger/entries/{index}/opening", EnumSet.of(Caller.DEV, Caller.REG));
        rule("GET /api/v1/witness/logs", ALL);
        rule("POST /api/v1/witness/logs", EnumSet.of(Caller.REG));
        // only the deploying organisation's deployers enrol its agent
        rule("PUT /api/v1/deployments/{id}/agent", EnumSet.of(Caller.DEP));
        // open at the token layer: each request is a note signed by the deployment's enrolled agent key
        rule("POST /api/v1/agent/license", ALL);
        rule("POST /api/v1/agent/halt", ALL);
        rule("GET /api/v1/agent/orders", ALL);
        // officers only (the regulator holds OFFICER); the public sees orders and their coverage
        rule("POST /api/v1/stop-orders", EnumSet.of(Caller.REG));
        rule("POST /api/v1/stop-orders/{id}/approvals", EnumSet.of(Caller.REG));
        rule("POST /api/v1/stop-orders/{id}/lift", EnumSet.of(Caller.REG));
        rule("GET /api/v1/stop-orders", ALL);
        rule("GET /api/v1/stop-orders/{id}", ALL);
        rule("GET /api/v1/stop-orders/{id}/coverage", ALL);
        rule("GET /api/v1/termination/vkey", ALL);
        rule("GET /actuator/prometheus", EnumSet.of(Caller.REG));
        rule("GET /actuator/health", ALL);
    }

    static void rule(String endpoint, Set<Caller> allowed) {
        RULES.put(endpoint, allowed);
    }

    @Autowired
    Node node;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Autowired
    List<ServletRegistrationBean<?>> servlets;

    Map<Caller, Node.Caller> callers = new LinkedHashMap<>();
    Map<String, String> ids = new LinkedHashMap<>();

    @BeforeEach
    void callersAndRecords() {
        callers.put(Caller.ANON, node.anonymous());
        callers.put(Caller.REG, node.regulator());
        callers.put(Caller.DEV, node.developer());
        callers.put(Caller.DEV2, node.developer());
        callers.put(Caller.DIS, node.account(node.organisation("DISTRIBUTOR"), "DISTRIBUTOR"));
        callers.put(Caller.DIS2, node.account(node.organisation("DISTRIBUTOR"), "DISTRIBUTOR"));
        callers.put(Caller.DEP, node.account(node.organisation("DEPLOYER"), "DEPLOYER"));
        callers.put(Caller.DEP2, node.account(node.organisation("DEPLOYER"), "DEPLOYER"));
        callers.put(Caller.CP, node.account(node.organisation("COMPUTE_PROVIDER"), "COMPUTE_PROVIDER"));
        callers.put(Caller.AUD, node.account(node.organisation("AUDITOR"), "AUDITOR"));
        callers.put(Caller.PEER, node.account(node.organisation("PEER"), "PEER"));

        Node.Caller dev = callers.get(Caller.DEV);
        String model = dev.post("/api/v1/models", Map.of("name", "Matrix model")).json().get("id").asString();
        ids.put("model", model);
        ids.put("organisation", dev.organisationId.toString());
        ids.put("token", dev.post("/api/v1/tokens", Map.of("name", "to revoke")).json().get("id").asString());
        Node.Response run = dev.post("/api/v1/training-runs", Map.of("modelId", model, "plannedCompute", 1e22,
                "plannedStart", "2030-01-01T00:00:00Z", "plannedEnd", "2030-02-01T00:00:00Z"));
        ids.put("run", run.json().get("id").asString());
        ids.put("runEntry", run.headers().firstValue("Ditchley-Ledger-Entries").orElseThrow());
        ids.put("distribution", callers.get(Caller.DIS).post("/api/v1/distributions", Map.of("modelId", model,
                "channel", "API", "terms", "t", "jurisdictions", List.of("EU"))).json().get("id").asString());
        ids.put("deployment", callers.get(Caller.DEP).post("/api/v1/deployments", Map.of("modelId", model,
                "locationKind", "FACILITY", "location", "DC 1", "endpoint", "https://d.example")).json().get("id").asString());
        ids.put("order", node.regulator().post("/api/v1/stop-orders", Map.of("scope", "DEPLOYMENTS", "targets",
                List.of(ids.get("deployment")), "reasonKind", "OTHER", "reason", "matrix")).json().get("id").asString());
        ids.put("import", node.regulator().send("POST", "/api/v1/imports/epoch", "text/csv",
                HttpRequest.BodyPublishers.ofString("Model,Organization\nMatrix import,Matrix Org\n")).json().get("id").asString());
    }

    @Test
    void everyEndpointDeclaresWhoMayCallIt() {
        List<String> undeclared = new ArrayList<>();
        mappings.getHandlerMethods().forEach((info, method) -> {
            if (ours(method) && !declaresRule(method)) {
                undeclared.add(info + " -> " + method);
            }
        });
        assertThat(undeclared).as("handlers without @PreAuthorize or @PermitAll").isEmpty();
    }

    @Test
    void everyApiEndpointAdmitsExactlyTheCallersOfItsRule() {
        Set<String> endpoints = new TreeSet<>();
        mappings.getHandlerMethods().forEach((info, method) -> {
            if (ours(method)) {
                endpoints.addAll(endpoints(info));
            }
        });
        Set<String> api = new TreeSet<>(endpoints.stream().filter(e -> e.contains(" /api/")).toList());
        assertThat(RULES.keySet()).as("endpoints without a rule in this test").containsAll(api);
        for (ServletRegistrationBean<?> servlet : servlets) {
            for (String path : servlet.getUrlMappings().stream().filter(p -> p.startsWith("/api/")).toList()) {
                assertThat(RULES.keySet()).as("servlet path %s without a rule in this test", path).anyMatch(e -> e.endsWith(" " + path));
            }
        }

        List<String> wrong = new ArrayList<>();
        for (var rule : RULES.entrySet()) {
            String method = rule.getKey().substring(0, rule.getKey().indexOf(' '));
            String pattern = rule.getKey().substring(method.length() + 1);
            String path = concrete(pattern);
            for (Caller caller : Caller.values()) {
                Node.Response r = call(callers.get(caller), method, path);
                boolean allowed = rule.getValue().contains(caller);
                boolean refused = r.status() == 401 || r.status() == 403 || (r.status() == 404 && pattern.contains("{id}")
                        && !pattern.startsWith("/api/v1/models") && caller != Caller.ANON);
                if (allowed && (r.status() == 401 || r.status() == 403 || r.status() >= 500)) {
                    wrong.add(caller + " " + method + " " + pattern + " should pass but got " + r);
                }
                if (!allowed && !refused) {
                    wrong.add(caller + " " + method + " " + pattern + " should be refused but got " + r);
                }
                if (!allowed && caller == Caller.ANON && r.status() != 401) {
                    wrong.add("ANON " + method + " " + pattern + " should be 401 but got " + r.status());
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    private Node.Response call(Node.Caller caller, String method, String path) {
        return switch (method) {
            case "GET" -> caller.get(path);
            case "DELETE" -> caller.delete(path);
            case "PUT" -> caller.put(path, body(path));
            default -> path.endsWith("/imports/epoch")
                    ? caller.send("POST", path, "text/csv", HttpRequest.BodyPublishers.ofString("Model,Organization\nM x,Org x\n"))
                    : caller.post(path, body(path));
        };
    }

    private Object body(String path) {
        String model = ids.get("model");
        if (path.endsWith("/organisations")) {
            return Map.of("name", "Org " + System.nanoTime(), "kind", "DEVELOPER", "jurisdiction", "FR");
        }
        if (path.endsWith("/invitations")) {
            return Map.of("email", "x" + System.nanoTime() + "@example.test", "roles", List.of("DEVELOPER"));
        }
        if (path.endsWith("/invitations/accept") || path.endsWith("/setup")) {
            return Map.of("token", "not-a-token", "name", "n", "password", "p");
        }
        if (path.endsWith("/tokens")) {
            return Map.of("name", "matrix");
        }
        if (path.endsWith("/api/v1/models")) {
            return Map.of("name", "Matrix " + System.nanoTime(), "organisationId", ids.get("organisation"));
        }
        if (path.contains("/models/") && path.endsWith("/status")) {
            return Map.of("status", "IN_TRAINING");
        }
        if (path.endsWith("/parents")) {
            return Map.of("parentId", model, "relation", "FINETUNE");
        }
        if (path.contains("/models/")) {
            return Map.of("name", "Matrix model");
        }
        if (path.endsWith("/training-runs")) {
            return Map.of("modelId", model, "plannedCompute", 1e22, "plannedStart", "2030-01-01T00:00:00Z",
                    "plannedEnd", "2030-02-01T00:00:00Z");
        }
        if (path.endsWith("/distributions")) {
            return Map.of("modelId", model, "channel", "API", "terms", "t", "jurisdictions", List.of("EU"));
        }
        if (path.endsWith("/deployments")) {
            return Map.of("modelId", model, "locationKind", "FACILITY", "location", "DC", "endpoint", "https://e.example");
        }
        if (path.contains("/deployments/")) {
            return Map.of("status", "RETIRED");
        }
        if (path.endsWith("/witness/logs")) {
            return Map.of("vkey", org.ditchley.tlog.NoteSigner.generate("peer" + System.nanoTime() + ".example/log").verifier().toString());
        }
        if (path.endsWith("/threshold-policy")) {
            return Map.of("title", "Same again", "rules", node.anonymous().get("/api/v1/threshold-policy/versions/1").json().get("rules"));
        }
        return Map.of();
    }

    private String concrete(String pattern) {
        String id;
        if (pattern.startsWith("/api/v1/organisations")) {
            id = ids.get("organisation");
        } else if (pattern.startsWith("/api/v1/tokens")) {
            id = ids.get("token");
        } else if (pattern.startsWith("/api/v1/training-runs")) {
            id = ids.get("run");
        } else if (pattern.startsWith("/api/v1/distributions")) {
            id = ids.get("distribution");
        } else if (pattern.startsWith("/api/v1/deployments")) {
            id = ids.get("deployment");
        } else if (pattern.startsWith("/api/v1/imports")) {
            id = ids.get("import");
        } else if (pattern.startsWith("/api/v1/stop-orders")) {
            id = ids.get("order");
        } else {
            id = ids.get("model");
        }
        return pattern.replace("{id}", id).replace("{index}", ids.get("runEntry")).replace("{version}", "1").replace("{kind}", "MODEL");
    }

    private static boolean ours(HandlerMethod method) {
        return method.getBeanType().getName().startsWith("org.ditchley.");
    }

    private static boolean declaresRule(HandlerMethod method) {
        return AnnotatedElementUtils.hasAnnotation(method.getMethod(), PreAuthorize.class)
                || AnnotatedElementUtils.hasAnnotation(method.getMethod(), PermitAll.class)
                || AnnotatedElementUtils.hasAnnotation(method.getBeanType(), PreAuthorize.class)
                || AnnotatedElementUtils.hasAnnotation(method.getBeanType(), PermitAll.class);
    }

    private static List<String> endpoints(RequestMappingInfo info) {
        List<String> out = new ArrayList<>();
        Set<org.springframework.web.bind.annotation.RequestMethod> methods = info.getMethodsCondition().getMethods();
        for (String pattern : info.getPatternValues()) {
            for (var m : methods) {
                out.add(m.name() + " " + pattern);
            }
        }
        return out;
    }
}
