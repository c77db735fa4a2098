package org.ditchley.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ditchley} command. Exit status: 0 verified, 1 verification failed, 2 usage or I/O error. */
@Command(name = "ditchley", mixinStandardHelpOptions = true, version = "ditchley 0.1.0",
        description = "Works with Ditchley nodes: verify their transparency logs and receipts; fingerprint and identify models; run the agent beside a deployment.")
public final class Ditchley {

    /** The subcommands by name, in the order help lists them. */
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

    private static Map<String, Supplier<Object>> subcommands() {
        Map<String, Supplier<Object>> m = new LinkedHashMap<>();
        m.put("log", LogCommand::new);
        m.put("fingerprint", FingerprintCommand::new);
        m.put("identify", IdentifyCommand::new);
        m.put("agent", AgentCommand::new);
        return m;
    }

    public static void main(String[] args) {
        if (args.length > 0 && (args[0].equals("fingerprint") || args[0].equals("identify"))) {
            // the native hasher loads while the command line is parsed
            org.ditchley.fingerprint.ModelHasher.preload();
        }
        System.exit(run(args));
    }

    static int run(String... args) {
        return commandLine(args).setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("error: " + e.getMessage());
            return 2;
        }).execute(args);
    }

    /**
     * The command line for {@code args}: with only the subcommand they name when the first
     * argument is one, since building a subcommand's model (its options, converters and help)
     * is most of picocli's start-up; with all of them otherwise, for help and suggestions.
     */
    static CommandLine commandLine(String... args) {
        CommandLine cl = new CommandLine(new Ditchley());
        Supplier<Object> named = args.length > 0 ? SUBCOMMANDS.get(args[0]) : null;
        if (named != null) {
            cl.addSubcommand(named.get());
        } else {
            SUBCOMMANDS.values().forEach(s -> cl.addSubcommand(s.get()));
        }
        return cl;
    }
}
