package org.ditchley.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.ditchley.tlog.Checkpoint;
import org.ditchley.tlog.CosignatureVerifier;
import org.ditchley.tlog.NoteVerifier;
import org.ditchley.tlog.Rfc6962;
import org.ditchley.tlog.TlogException;
import org.ditchley.tlog.TlogProof;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Checks a c2sp.org/tlog-proof receipt offline: the entry is in the tree of a checkpoint the log signed. */
@Command(name = "check-receipt", mixinStandardHelpOptions = true,
        description = "Check a receipt (.tlog-proof) offline against the log's key and the entry it is for.")
final class CheckReceipt implements Callable<Integer> {

    @Parameters(index = "0", description = "The receipt file")
    Path receipt;

    @Option(names = "--vkey", required = true, description = "The log's verifier key (name+keyid+key)")
    String vkey;

    @Option(names = "--entry", required = true, description = "A file holding the entry exactly as logged")
    Path entry;

    @Option(names = "--witness", description = "A witness's cosigner key (name+keyid+key); repeatable")
    List<String> witnesses = new ArrayList<>();

    @Option(names = "--quorum", defaultValue = "0", description = "How many of the witnesses must have cosigned")
    int quorum;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        NoteVerifier key = NoteVerifier.parse(vkey.strip());
        List<CosignatureVerifier> cosigners = new ArrayList<>();
        for (String w : witnesses) {
            cosigners.add(CosignatureVerifier.parse(w.strip()));
        }
        try {
            TlogProof proof = TlogProof.parse(Files.readAllBytes(receipt));
            Checkpoint checkpoint = proof.verify(Rfc6962.leafHash(Files.readAllBytes(entry)), key, cosigners, quorum);
            spec.commandLine().getOut().println("verified: entry " + proof.index() + " of " + checkpoint.origin()
                    + " (tree size " + checkpoint.size() + ")");
            return 0;
        } catch (TlogException e) {
            err.println("FAILED: " + e.getMessage());
            return 1;
        }
    }
}
