package org.ditchley.termination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.ditchley.agent.Agent;
import org.ditchley.agent.ProtocolException;
import org.ditchley.agent.Signed;
import org.ditchley.agent.StopOrder;
import org.ditchley.support.Node;
import org.ditchley.support.NodeTest;
import org.ditchley.tlog.NoteSigner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The agent supervising a real child process against a running node: it runs the workload while
 * licensed, refuses forged, foreign and replayed messages and keeps it running, stops it within
 * the grace period when an order covering it takes effect (killing it if it ignores SIGTERM),
 * sends a signed halt receipt the coverage board shows, and restarts it only once the order is lifted.
 */
@NodeTest
class AgentSupervisionTests {

    @Autowired
    Node node;

    @TempDir
    Path dir;

    final List<String> logged = new CopyOnWriteArrayList<>();

    Agent agent(Deployed d, List<String> command) throws Exception {
        return agent(Agent.Config.of(node.uri("/"), d.id(), d.key(), Deployed.vkey(node), command));
    }

    Agent agent(Agent.Config base) throws Exception {
        Agent.Config config = base.withMaxBackoff(Duration.ofSeconds(1)).withExpiryGrace(Duration.ofSeconds(2));
        Agent agent = new Agent(config, Clock.systemUTC(), logged::add);
        agent.start();
        return agent;
    }

    Node.Caller officer() {
        return node.account(node.regulator().organisationId, "REGULATOR", "OFFICER");
    }

    String order(Map<String, Object> draft) {
        Node.Response drafted = node.regulator().post("/api/v1/stop-orders", draft);
        assertThat(drafted.status()).as(drafted.toString()).isEqualTo(201);
        String id = drafted.json().get("id").asString();
        Node.Response effective = officer().post("/api/v1/stop-orders/" + id + "/approvals", Map.of());
        assertThat(effective.json().get("status").asString()).as(effective.toString()).isEqualTo("IN_EFFECT");
        return id;
    }

    /** The types of the ledger's entries about {@code record} that a checkpoint covers, in log order. */
    List<String> ledgerTypes(String record) {
        List<String> types = new java.util.ArrayList<>();
        for (JsonNode index : node.anonymous().get("/ledger/records/" + record).json()) {
            Node.Response served = node.anonymous().get("/ledger/entries/" + index.asLong());
            if (served.status() == 200) { // else not yet under a checkpoint
                types.add(Node.JSON.readTree(served.json().get("entry").asString()).get("type").asString());
            }
        }
        return types;
    }

    JsonNode copy(String order, String deployment) {
        for (JsonNode c : node.regulator().get("/api/v1/stop-orders/" + order + "/coverage").json().get("copies")) {
            if (c.get("deploymentId").asString().equals(deployment)) {
                return c;
            }
        }
        throw new AssertionError("deployment " + deployment + " is not on the board of " + order);
    }

    @Test
    void anOrderStopsTheWorkloadWithinItsGraceAndOnlyALiftLetsItRunAgain() throws Exception {
        Deployed d = Deployed.create(node, dir, "Supervised model", null);
        Path log = dir.resolve("workload.log");
        try (Agent agent = agent(d, Workloads.polite(log))) {
            Workloads.await("the licensed workload runs", Duration.ofSeconds(20), () -> agent.state() == Agent.State.RUNNING);
            long pid = agent.workloadPid();
            assertThat(Workloads.alive(pid)).isTrue();
            HttpResponse<String> status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + agent.statusPort() + "/status")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(status.body()).contains("\"state\":\"RUNNING\"").contains(d.digest()).contains("\"workloadPid\":" + pid);

            // forged, foreign and replayed messages are refused; the workload keeps running
            NoteSigner forger = NoteSigner.generate(Deployed.vkey(node).name());
            StopOrder forgedOrder = new StopOrder(UUID.randomUUID(), Long.MAX_VALUE, Instant.now(), 0, "OTHER: forged", List.of(d.digest()), List.of(d.id()));
            assertThatThrownBy(() -> agent.order(Signed.sign(forgedOrder.text(), forger))).isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("refused");
            NoteSigner regulatorKey = NoteSigner.parse(Files.readString(node.dataDir().resolve("termination.key")).strip());
            StopOrder foreign = new StopOrder(UUID.randomUUID(), Long.MAX_VALUE, Instant.now(), 0, "OTHER: another copy", List.of("ab".repeat(32)),
                    List.of(UUID.randomUUID()));
            assertThatThrownBy(() -> agent.order(Signed.sign(foreign.text(), regulatorKey))).isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("does not cover deployment " + d.deployment());
            String n1 = Deployed.nonce();
            byte[] older = Deployed.bytes(d.license(d.request(n1, Instant.now())).body());
            String n2 = Deployed.nonce();
            byte[] newer = Deployed.bytes(d.license(d.request(n2, Instant.now())).body());
            agent.accept(newer, n2);
            assertThatThrownBy(() -> agent.accept(older, n1)).isInstanceOf(ProtocolException.class).hasMessageContaining("not above the last");
            assertThatThrownBy(() -> agent.accept(newer, n2)).isInstanceOf(ProtocolException.class).hasMessageContaining("not above the last");
            assertThatThrownBy(() -> agent.accept(newer, Deployed.nonce())).isInstanceOf(ProtocolException.class).hasMessageContaining("replay");
            Thread.sleep(300);
            assertThat(agent.workloadPid()).isEqualTo(pid);
            assertThat(Workloads.alive(pid)).isTrue();

            // a genuine order reaches the agent over its stream; the workload stops on SIGTERM
            Workloads.await("the order stream is open", Duration.ofSeconds(10), () -> logged.contains("order stream open"));
            String order = order(Map.of("scope", "DEPLOYMENTS", "targets", List.of(d.deployment()), "reasonKind", "INCIDENT",
                    "reason", "weights exfiltrated", "graceSeconds", 5));
            Workloads.await("the workload is terminated", Duration.ofSeconds(10), () -> !Workloads.alive(pid));
            assertThat(Workloads.log(log)).contains("terminated");
            assertThat(agent.state()).isEqualTo(Agent.State.HALTED_BY_ORDER);
            Workloads.await("the halt receipt is on the board", Duration.ofSeconds(10),
                    () -> copy(order, d.deployment()).get("state").asString().equals("HALTED"));
            JsonNode halted = copy(order, d.deployment());
            assertThat(halted.get("how").asString()).isEqualTo("TERMINATED");
            assertThat(halted.get("millisToHalt").asLong()).isLessThan(5_000);
            // the receipt is on the ledger as an entry of its own about the deployment, a commitment the public cannot open
            Workloads.await("the halt is on the ledger", Duration.ofSeconds(10), () -> ledgerTypes(d.deployment()).contains("DeploymentHalted"));

            // it does not restart while the order stands, even with a fresh license refused
            Thread.sleep(1_500);
            assertThat(agent.workloadPid()).isEqualTo(-1);

            for (Node.Caller officer : List.of(node.regulator(), officer(), officer())) {
                officer.post("/api/v1/stop-orders/" + order + "/lift", Map.of("reason", "keys rotated, weights recovered"));
            }
            Workloads.await("the workload runs again after the lift", Duration.ofSeconds(20),
                    () -> agent.state() == Agent.State.RUNNING && agent.workloadPid() > 0);
            assertThat(agent.workloadPid()).isNotEqualTo(pid);
        }
    }

    @Test
    void aWorkloadThatIgnoresSigtermIsKilledWhenTheGraceEnds() throws Exception {
        Deployed d = Deployed.create(node, dir, "Stubborn model", null);
        Path log = dir.resolve("stubborn.log");
        try (Agent agent = agent(d, Workloads.stubborn(log))) {
            Workloads.await("the workload runs", Duration.ofSeconds(20), () -> agent.state() == Agent.State.RUNNING);
            Workloads.await("the order stream is open", Duration.ofSeconds(10), () -> logged.contains("order stream open"));
            long pid = agent.workloadPid();
            String order = order(Map.of("scope", "MODEL", "modelId", d.model(), "reasonKind", "RED_LINE",
                    "reason", "self-exfiltration attempt", "graceSeconds", 1));
            Workloads.await("the workload is killed", Duration.ofSeconds(10), () -> !Workloads.alive(pid));
            assertThat(Workloads.log(log)).contains("ignored");
            Workloads.await("the receipt arrives", Duration.ofSeconds(10), () -> copy(order, d.deployment()).get("state").asString().equals("HALTED"));
            assertThat(copy(order, d.deployment()).get("how").asString()).isEqualTo("KILLED");
        }
    }

    @Test
    void anAgentThatConnectsAfterAnOrderTookEffectGetsItAndNeverStartsItsWorkload() throws Exception {
        Deployed d = Deployed.create(node, dir, "Already stopped model", null);
        String order = order(Map.of("scope", "ARTIFACTS", "targets", List.of(d.artifact()), "reasonKind", "RED_LINE",
                "reason", "artifact leaked", "graceSeconds", 0));
        Path log = dir.resolve("never.log");
        // the installer pinned the artifact it serves, so the agent can tell the order covers it before any license
        Agent.Config pinned = Agent.Config.of(node.uri("/"), d.id(), d.key(), Deployed.vkey(node), Workloads.polite(log))
                .withArtifact(d.digest());
        try (Agent agent = agent(pinned)) {
            Workloads.await("the order arrives on connect", Duration.ofSeconds(15), () -> agent.state() == Agent.State.HALTED_BY_ORDER);
            Workloads.await("the receipt arrives", Duration.ofSeconds(10),
                    () -> copy(order, d.deployment()).get("state").asString().equals("HALTED"));
            assertThat(copy(order, d.deployment()).get("how").asString()).isEqualTo("NOT_RUNNING");
            Thread.sleep(1_000);
            assertThat(Workloads.log(log)).as("the workload never started").isEmpty();
            assertThat(agent.workloadPid()).isEqualTo(-1);
        }
    }

    @Test
    void anAgentThatMissedTheLiftLearnsItFromItsNextLicenseAndIgnoresTheOrderSentLate() throws Exception {
        Deployed d = Deployed.create(node, dir, "Lift missed model", null);
        // not started: this test plays the stream's part, and the stream is cut before the lift
        Agent agent = new Agent(Agent.Config.of(node.uri("/"), d.id(), d.key(), Deployed.vkey(node), List.of("true"))
                .withStatusPort(-1), Clock.systemUTC(), logged::add);
        try (agent) {
            long before = agent.renew().stopVersion();
            String order = order(Map.of("scope", "MODEL", "modelId", d.model(), "reasonKind", "INCIDENT",
                    "reason", "under investigation", "graceSeconds", 0));
            byte[] note = Deployed.bytes(node.regulator().get("/api/v1/stop-orders/" + order).json().get("note").asString());
            assertThat(StopOrder.parse(Signed.open(note, Deployed.vkey(node))).stopVersion()).isGreaterThan(before);
            agent.order(note);
            assertThat(agent.standingOrders()).containsExactly(UUID.fromString(order));
            assertThatThrownBy(agent::renew).isInstanceOf(ProtocolException.class).hasMessageContaining("403");
            assertThat(agent.standingOrders()).as("a refused license changes nothing").containsExactly(UUID.fromString(order));

            for (Node.Caller officer : List.of(node.regulator(), officer(), officer())) {
                officer.post("/api/v1/stop-orders/" + order + "/lift", Map.of("reason", "investigation closed"));
            }
            assertThat(agent.renew().stopVersion()).isGreaterThan(before);
            assertThat(agent.standingOrders()).as("the license was issued against the stop list after the lift").isEmpty();
            assertThat(agent.state()).isEqualTo(Agent.State.WAITING_FOR_LICENSE);
            agent.order(note);
            assertThat(agent.standingOrders()).as("the order arriving late, after the license that lifted it").isEmpty();
        }
    }
}
