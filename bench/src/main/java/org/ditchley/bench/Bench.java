package org.ditchley.bench;

import java.nio.file.Path;

/** Entry point: {@code java -jar bench/target/ditchley-bench.jar registry|ledger [server-jar]}. */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !(args[0].equals("registry") || args[0].equals("ledger") || args[0].equals("termination"))) {
            System.err.println("usage: java -jar ditchley-bench.jar registry|ledger [path/to/ditchley-server.jar]");
            System.err.println("       java -jar ditchley-bench.jar termination [agents, default 10000] [path/to/ditchley-server.jar]");
            System.exit(2);
        }
        if (args[0].equals("termination")) {
            int agents = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
            termination(Path.of(args.length > 2 ? args[2] : "server/target/ditchley-server.jar"), agents);
            return;
        }
        Path jar = Path.of(args.length > 1 ? args[1] : "server/target/ditchley-server.jar");
        if (args[0].equals("registry")) {
            new RegistryBench(jar).run();
        } else {
            new LedgerBench(jar).run();
        }
    }

    /** Runs {@link TerminationBench} inside {@code jar}'s class path, with the bench jar on the loader path. */
    static void termination(Path jar, int agents) throws Exception {
        Path self = Path.of(Bench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String javaCommand = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // the JDK client keeps idle connections for 20 minutes, the node for 30 s: an officer's request sent
        // on a connection the node has just closed fails with no response, so the client lets go first;
        // the driver shares the node's cores, so it takes the collector that costs them least, and only
        // the quick compiler: its optimizing compiler would otherwise spend a second of CPU beside the node
        // during the first order, recompiling paths that agents on machines of their own run only once
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(javaCommand, "-Xmx3g", "-Dloader.path=" + self,
                "-Djdk.httpclient.keepalive.timeout=10", "-XX:+UseParallelGC", "-XX:TieredStopAtLevel=1"));
        // the driver's knobs (-Dditchley.bench.*) go on to the driver
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("ditchley.bench.")).sorted()
                .forEach(k -> command.add("-D" + k + "=" + System.getProperty(k)));
        command.addAll(java.util.List.of("-Dloader.main=org.ditchley.bench.TerminationBench", "-cp", jar.toString(),
                "org.springframework.boot.loader.launch.PropertiesLauncher", jar.toString(), String.valueOf(agents)));
        Process p = new ProcessBuilder(command).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("the termination driver failed with " + p.exitValue());
        }
    }
}
