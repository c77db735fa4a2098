package org.ditchley.ledger.internal;

import jakarta.annotation.security.PermitAll;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.ditchley.tlog.Checkpoint;
import org.ditchley.tlog.NoteSigner;
import org.ditchley.tlog.Rfc6962;
import org.ditchley.tlog.TlogException;
import org.ditchley.tlog.TlogProof;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;

/** The public ledger page: the latest checkpoint, the log's key, recent entries, and a receipt checker. */
@Controller
class LedgerPages {

    static final int RECENT = 50;

    private final LedgerStore store;
    private final NoteSigner signer;

    LedgerPages(LedgerStore store, NoteSigner signer) {
        this.store = store;
        this.signer = signer;
    }

    /** Anyone. */
    @GetMapping("/ledger")
    @PermitAll
    String show(Model model) throws TlogException {
        Checkpoint checkpoint = store.published(signer.verifier());
        model.addAttribute("checkpoint", checkpoint);
        model.addAttribute("note", new String(store.latestCheckpoint().orElseThrow(), StandardCharsets.UTF_8));
        model.addAttribute("vkey", signer.verifier().toString());
        model.addAttribute("entries", store.recent(checkpoint.size(), RECENT));
        return "ledger/index";
    }

    /** Anyone: checks a receipt against this log's key and the entry it is for. */
    @PostMapping("/ledger/check-receipt")
    @PermitAll
    String check(@RequestParam(required = false) MultipartFile receipt, @RequestParam(required = false) String entry,
                 Model model) throws TlogException, IOException {
        String result;
        boolean ok = false;
        if (receipt == null || receipt.isEmpty() || entry == null || entry.isEmpty()) {
            result = "Choose a receipt file and paste the entry it is for.";
        } else {
            try {
                TlogProof proof = TlogProof.parse(receipt.getBytes());
                Checkpoint cp = proof.verify(Rfc6962.leafHash(entry.strip().getBytes(StandardCharsets.UTF_8)),
                        signer.verifier(), List.of(), 0);
                result = "Verified: entry " + proof.index() + " is in the log " + cp.origin() + " at tree size " + cp.size() + ".";
                ok = true;
            } catch (TlogException e) {
                result = "Not verified: " + e.getMessage();
            }
        }
        model.addAttribute("result", result);
        model.addAttribute("verified", ok);
        return show(model);
    }
}
