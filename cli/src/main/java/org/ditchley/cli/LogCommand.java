package org.ditchley.cli;

import picocli.CommandLine.Command;

@Command(name = "log", mixinStandardHelpOptions = true, description = "Verify a node's ledger or a receipt from it.",
        subcommands = {VerifyLog.class, CheckReceipt.class})
final class LogCommand {
}
