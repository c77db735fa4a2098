package org.ditchley.bench;

import java.nio.file.Path;

/** Entry point: {@code java -jar bench/target/ditchley-bench.jar registry|ledger [server-jar]}. */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !(args[0].equals("registry") || args[0].equals("ledger"))) {
            System.err.println("usage: java -jar ditchley-bench.jar registry|ledger [path/to/ditchley-server.jar]");
            System.exit(2);
        }
        Path jar = Path.of(args.length > 1 ? args[1] : "server/target/ditchley-server.jar");
        if (args[0].equals("registry")) {
            new RegistryBench(jar).run();
        } else {
            new LedgerBench(jar).run();
        }
    }
}
