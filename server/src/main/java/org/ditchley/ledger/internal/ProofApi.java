package org.ditchley.ledger.internal;

import jakarta.annotation.security.PermitAll;
import java.util.List;
import java.util.UUID;
import org.ditchley.platform.InvalidInputException;
import org.ditchley.platform.NotFoundException;
import org.ditchley.tlog.Checkpoint;
import org.ditchley.tlog.Hash;
import org.ditchley.tlog.StoredHashes;
import org.ditchley.tlog.TiledHashes;
import org.ditchley.tlog.TlogException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Entries with their proofs, for anyone: an entry by index, inclusion and consistency proofs
 * against published sizes, the entries about a record, and a c2sp.org/tlog-proof receipt that
 * can be checked offline.
 */
@RestController
class ProofApi {

    private final LedgerStore store;
    private final TileCache tiles;

    private final LatestCheckpoint latest;
    private final Receipts receipts;

    ProofApi(LedgerStore store, TileCache tiles, LatestCheckpoint latest, Receipts receipts) {
        this.latest = latest;
        this.receipts = receipts;
        this.store = store;
        this.tiles = tiles;
    }

    record Entry(long index, String entry, String leafHash) {
    }

    record Proof(long index, long size, String root, List<String> proof) {
    }

    record Consistency(long from, long to, List<String> proof) {
    }

    @GetMapping("/ledger/entries/{index}")
    @PermitAll
    Entry entry(@PathVariable long index) throws TlogException {
        byte[] body = published(index);
        return new Entry(index, new String(body, java.nio.charset.StandardCharsets.UTF_8),
                org.ditchley.tlog.Rfc6962.leafHash(body).base64());
    }

    /** The inclusion proof of entry {@code index} in the tree of {@code size} (default: the latest checkpoint). */
    @GetMapping("/ledger/entries/{index}/proof")
    @PermitAll
    Proof inclusion(@PathVariable long index, @RequestParam(required = false) Long size) throws TlogException {
        Checkpoint latest = latest();
        long n = size == null ? latest.size() : size;
        if (n <= index || n > latest.size() || index < 0) {
            throw new InvalidInputException("size", "must be above the index and at most the published size " + latest.size());
        }
        StoredHashes.Reader tree = TiledHashes.of(n, tiles);
        List<String> proof = StoredHashes.inclusionProof(index, n, tree).stream().map(Hash::base64).toList();
        return new Proof(index, n, StoredHashes.treeHash(n, tree).base64(), proof);
    }

    @GetMapping("/ledger/consistency")
    @PermitAll
    Consistency consistency(@RequestParam long from, @RequestParam long to) throws TlogException {
        long published = latest().size();
        if (from <= 0 || from > to || to > published) {
            throw new InvalidInputException("from", "need 0 < from <= to <= " + published);
        }
        return new Consistency(from, to, StoredHashes.consistencyProof(from, to, TiledHashes.of(to, tiles)).stream().map(Hash::base64).toList());
    }

    /** The indexes of the entries about a record (a model, an organisation, a deployment, …). */
    @GetMapping("/ledger/records/{id}")
    @PermitAll
    List<Long> record(@PathVariable UUID id) {
        return store.indexesOf(id);
    }

    /**
     * A c2sp.org/tlog-proof receipt for entry {@code index} against the latest checkpoint. An
     * entry just filed is covered by a checkpoint within a second; until then this waits for it.
     */
    @GetMapping(value = "/ledger/entries/{index}/receipt")
    @PermitAll
    ResponseEntity<byte[]> receipt(@PathVariable long index) throws TlogException {
        byte[] receipt = receipts.receipt(index, Receipts.WAIT);
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("text/plain; charset=utf-8"))
                .header("Content-Disposition", "attachment; filename=\"entry-" + index + ".tlog-proof\"").body(receipt);
    }

    private byte[] published(long index) throws TlogException {
        if (index < 0 || index >= latest().size()) {
            throw new NotFoundException("ledger entry", index);
        }
        return store.entry(index).orElseThrow(() -> new NotFoundException("ledger entry", index));
    }

    private Checkpoint latest() throws TlogException {
        return latest.get().checkpoint();
    }

}
