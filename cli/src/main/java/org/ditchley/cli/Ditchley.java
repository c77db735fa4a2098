package org.ditchley.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ditchley} command. Exit status: 0 verified, 1 verification failed, 2 usage or I/O error. */
@Command(name = "ditchley", mixinStandardHelpOptions = true, version = "ditchley 0.1.0",
        description = "Works with Ditchley nodes: verify their transparency logs and receipts; fingerprint and identify models; run the agent beside a deployment.",
        subcommands = {LogCommand.class, FingerprintCommand.class, IdentifyCommand.class, AgentCommand.class})
public final class Ditchley {

    public static void main(String[] args) {
        if (args.length > 0 && (args[0].equals("fingerprint") || args[0].equals("identify"))) {
            // the native hasher loads while the command line is parsed
            org.ditchley.fingerprint.ModelHasher.preload();
        }
        System.exit(run(args));
    }

    static int run(String... args) {
        return new CommandLine(new Ditchley()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("error: " + e.getMessage());
            return 2;
        }).execute(args);
    }
}
