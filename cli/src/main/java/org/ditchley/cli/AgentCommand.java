package org.ditchley.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.ditchley.agent.Agent;
import org.ditchley.tlog.MalformedNoteException;
import org.ditchley.tlog.NoteSigner;
import org.ditchley.tlog.NoteVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ditchley agent}: the agent beside a deployment, and its key. */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = "Runs the agent beside a deployment: it holds an operating license and stops the workload on a stop order or at expiry.",
        subcommands = {AgentCommand.Keygen.class, AgentCommand.Run.class})
final class AgentCommand {

    /** {@code ditchley agent keygen --name NAME --out FILE}: a new agent key, written owner-only; prints the verifier key to enrol. */
    @Command(name = "keygen", mixinStandardHelpOptions = true,
            description = {"Creates an agent key. Prints its verifier key, which the deployer enrols with",
                    "PUT /api/v1/deployments/{id}/agent."})
    static final class Keygen implements Callable<Integer> {

        @Option(names = "--name", required = true, description = "The key's name, e.g. agent.example.com/eu-west-1")
        String name;

        @Option(names = "--out", required = true, description = "Where to write the secret key (created owner-only; must not exist)")
        Path out;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (Files.exists(out)) {
                spec.commandLine().getErr().println("error: " + out + " exists; an agent key is never overwritten");
                return 2;
            }
            NoteSigner key;
            try {
                key = NoteSigner.generate(name);
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("error: " + e.getMessage());
                return 2;
            }
            Files.createFile(out, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(out, key.secret() + "\n", StandardCharsets.UTF_8);
            spec.commandLine().getOut().println(key.verifier());
            return 0;
        }
    }

    /** {@code ditchley agent run --server URL --deployment ID --key FILE --regulator-key VKEY -- CMD ARGS…}. */
    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Supervises CMD ARGS… as the deployment's workload: starts it only under a valid license, stops it",
                    "(SIGTERM, then SIGKILL after the grace period) on a stop order or when the license expires, and sends a",
                    "signed halt receipt. Runs until it is itself stopped, which stops the workload too.",
                    "Exit status: 0 stopped, 2 usage or key error."})
    static final class Run implements Callable<Integer> {

        @Option(names = "--server", required = true, description = "The regulator's node, e.g. https://registry.example")
        URI server;

        @Option(names = "--deployment", required = true, description = "The registered deployment's ID")
        UUID deployment;

        @Option(names = "--key", required = true, description = "The agent's secret key file (from 'ditchley agent keygen')")
        Path key;

        @Option(names = "--regulator-key", required = true,
                description = "The node's termination verifier key, pinned at install: the key itself or a file holding it")
        String regulatorKey;

        @Option(names = "--artifact", description = "The manifest digest of the artifact served (default: the first license's)")
        String artifact;

        @Option(names = "--status-port", defaultValue = "0", description = "Localhost port of the status endpoint (0: any, -1: none)")
        int statusPort;

        @Option(names = "--expiry-grace", defaultValue = "10", description = "Seconds the workload has to stop when its license expires")
        long expiryGrace;

        @Parameters(arity = "1..*", paramLabel = "CMD", description = "The workload and its arguments, after --")
        List<String> command;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter err = spec.commandLine().getErr();
            NoteSigner signer;
            NoteVerifier regulator;
            try {
                signer = NoteSigner.parse(Files.readString(key, StandardCharsets.UTF_8).strip());
                String vkey = regulatorKey.contains("+") ? regulatorKey : Files.readString(Path.of(regulatorKey), StandardCharsets.UTF_8);
                regulator = NoteVerifier.parse(vkey.strip());
            } catch (MalformedNoteException e) {
                err.println("error: " + e.getMessage());
                return 2;
            } catch (java.io.IOException e) {
                err.println("error: cannot read " + e.getMessage());
                return 2;
            }
            Agent.Config config = Agent.Config.of(server, deployment, signer, regulator, command)
                    .withStatusPort(statusPort).withExpiryGrace(Duration.ofSeconds(expiryGrace));
            if (artifact != null) {
                config = config.withArtifact(artifact);
            }
            Agent agent = new Agent(config, Clock.systemUTC(), line -> {
                err.println(Instant.now() + " " + line);
                err.flush();
            });
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                agent.close();
                stopped.countDown();
            }, "ditchley-agent-shutdown"));
            agent.start();
            if (agent.statusPort() > 0) {
                err.println(Instant.now() + " status at http://127.0.0.1:" + agent.statusPort() + "/status");
                err.flush();
            }
            stopped.await();
            return 0;
        }
    }
}
