package org.ditchley.ledger.internal;

import jakarta.annotation.security.PermitAll;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import org.ditchley.platform.InvalidInputException;
import org.ditchley.platform.NotFoundException;
import org.ditchley.tlog.MalformedNoteException;
import org.ditchley.tlog.NoteSigner;
import org.ditchley.tlog.TilePath;
import org.ditchley.tlog.TlogException;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The public read API of the ledger, c2sp.org/tlog-tiles under {@code /ledger/}: the latest
 * signed checkpoint, hash tiles, entry bundles, and the log's verifier key. Anyone may read.
 * Full tiles never change and are served as immutable; partial tiles and the checkpoint are not
 * cached.
 */
@RestController
class LedgerApi {

    private static final MediaType TEXT = MediaType.parseMediaType("text/plain; charset=utf-8");

    private final LedgerStore store;
    private final TileCache tiles;
    private final NoteSigner signer;

    private final LatestCheckpoint latest;

    LedgerApi(LedgerStore store, TileCache tiles, NoteSigner signer, LatestCheckpoint latest) {
        this.latest = latest;
        this.store = store;
        this.tiles = tiles;
        this.signer = signer;
    }

    @GetMapping("/ledger/checkpoint")
    @PermitAll
    ResponseEntity<byte[]> checkpoint() throws TlogException {
        byte[] note = latest.get().note();
        return ResponseEntity.ok().contentType(TEXT).cacheControl(CacheControl.noCache()).body(note);
    }

    /** The verifier key of this log, {@code name+keyid+base64(0x01 ‖ key)}. */
    @GetMapping("/ledger/vkey")
    @PermitAll
    ResponseEntity<String> vkey() {
        return ResponseEntity.ok().contentType(TEXT).body(signer.verifier() + "\n");
    }

    @GetMapping("/ledger/tile/**")
    @PermitAll
    ResponseEntity<byte[]> tile(HttpServletRequest request) throws TlogException {
        TilePath tile;
        try {
            tile = TilePath.parse(request.getRequestURI().substring(request.getContextPath().length() + "/ledger/".length()));
        } catch (MalformedNoteException e) {
            throw new InvalidInputException("path", e.getMessage());
        }
        long published = publishedSize();
        int levels = tile.entries() ? 0 : 8 * tile.level();
        long first = tile.index() > (Long.MAX_VALUE >> 9) ? Long.MAX_VALUE >> 1 : tile.index() * TilePath.WIDTH;
        long end = first + tile.width();
        if (levels >= 63 || end > (published >> levels)) {
            throw new NotFoundException("tile", tile.path() + " (the published tree has " + published + " entries)");
        }
        byte[] body = tile.entries() ? bundle(first, end) : hashes(tile);
        CacheControl cache = tile.partial() ? CacheControl.noCache() : CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable();
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM).cacheControl(cache).body(body);
    }

    private byte[] hashes(TilePath tile) throws TlogException {
        return tiles.read(tile.level(), tile.index(), tile.width()).prefix(tile.width());
    }

    /** An entry bundle: each entry as a big-endian 16-bit length and its bytes. */
    private byte[] bundle(long first, long end) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] entry : store.entries(first, end)) {
            out.write(entry.length >>> 8);
            out.write(entry.length & 0xff);
            out.writeBytes(entry);
        }
        return out.toByteArray();
    }

    private long publishedSize() throws TlogException {
        return latest.get().size();
    }

}
