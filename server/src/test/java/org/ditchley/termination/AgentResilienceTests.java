package org.ditchley.termination;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.ditchley.DitchleyApplication;
import org.ditchley.agent.Agent;
import org.ditchley.support.ChildNodes;
import org.ditchley.support.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guarantee comes from expiry: with the node down, the workload runs until its license
 * expires and then stops; when the node is back it is licensed and runs again; and an order that
 * takes effect across a restart of the node still reaches the agent, which reconnects.
 */
class AgentResilienceTests {

    static final String[] SHORT_LICENSES = {"--ditchley.termination.lifetime=PT8S", "--ditchley.termination.frontier-lifetime=PT8S"};

    final ChildNodes nodes = new ChildNodes();
    final List<String> logged = new CopyOnWriteArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void stopChildren() throws InterruptedException {
        nodes.stopAll();
    }

    Process node(Path dataDir, int port, String name) throws Exception {
        Process p = nodes.start(DitchleyApplication.class.getName(), dataDir, port, name, SHORT_LICENSES);
        nodes.awaitReady(port, p, "/api/v1/termination/vkey");
        return p;
    }

    @Test
    @Timeout(300)
    void withTheNodeDownTheWorkloadStopsAtExpiryAndAnOrderAcrossARestartStillArrives() throws Exception {
        Path dataDir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")), "agent-");
        int port = ChildNodes.freePort();
        Process first = node(dataDir, port, "first");
        Node node = Node.at(port, dataDir);
        Deployed d = Deployed.create(node, dir, "Resilient model", null);
        Path log = dir.resolve("workload.log");
        Agent.Config config = Agent.Config.of(node.uri("/"), d.id(), d.key(), Deployed.vkey(node), Workloads.polite(log))
                .withMaxBackoff(Duration.ofSeconds(1)).withExpiryGrace(Duration.ofSeconds(2)).withStatusPort(-1);
        try (Agent agent = new Agent(config, Clock.systemUTC(), logged::add)) {
            agent.start();
            Workloads.await("the workload runs", Duration.ofSeconds(20), () -> agent.state() == Agent.State.RUNNING);
            long pid = agent.workloadPid();

            // the node goes away: the workload keeps running on its license, then stops when it expires
            first.destroy();
            first.waitFor();
            long down = System.nanoTime();
            Thread.sleep(2_000);
            assertThat(Workloads.alive(pid)).as("still licensed two seconds after the node went away").isTrue();
            Workloads.await("the workload stops at expiry", Duration.ofSeconds(15), () -> !Workloads.alive(pid));
            assertThat(Duration.ofNanos(System.nanoTime() - down)).as("stopped within lifetime + grace").isLessThan(Duration.ofSeconds(14));
            assertThat(agent.state()).isEqualTo(Agent.State.HALTED_BY_EXPIRY);
            assertThat(Workloads.log(log)).contains("terminated");

            // the node is back: licensed again, the workload runs again
            Process second = node(dataDir, port, "second");
            Workloads.await("the workload runs again", Duration.ofSeconds(30), () -> agent.state() == Agent.State.RUNNING);
            long again = agent.workloadPid();
            assertThat(again).isNotEqualTo(pid);

            // an order drafted before a restart and approved after it reaches the agent
            Node.Response drafted = node.regulator().post("/api/v1/stop-orders", Map.of("scope", "DEPLOYMENTS",
                    "targets", List.of(d.deployment()), "reasonKind", "OTHER", "reason", "ordered across a restart", "graceSeconds", 5));
            assertThat(drafted.status()).as(drafted.toString()).isEqualTo(201);
            String order = drafted.json().get("id").asString();
            second.destroy();
            second.waitFor();
            node(dataDir, port, "third");
            Node.Response approved = node.account(node.regulator().organisationId, "REGULATOR", "OFFICER")
                    .post("/api/v1/stop-orders/" + order + "/approvals", Map.of());
            assertThat(approved.json().get("status").asString()).as(approved.toString()).isEqualTo("IN_EFFECT");
            // the restart may outlast the 8-second license, so the workload may already have stopped by expiry
            Workloads.await("the order reaches the agent", Duration.ofSeconds(30), () -> agent.state() == Agent.State.HALTED_BY_ORDER);
            Workloads.await("the workload stops", Duration.ofSeconds(20), () -> !Workloads.alive(again));
            Workloads.await("the halt receipt arrives", Duration.ofSeconds(20), () -> node.regulator()
                    .get("/api/v1/stop-orders/" + order + "/coverage").json().get("counts").get("HALTED").asInt() == 1);
        }
    }
}
