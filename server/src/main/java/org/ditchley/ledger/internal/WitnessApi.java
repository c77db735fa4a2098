package org.ditchley.ledger.internal;

import jakarta.annotation.security.PermitAll;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import org.ditchley.identity.Actors;
import org.ditchley.platform.BodyTooLargeException;
import org.ditchley.tlog.Note;
import org.ditchley.tlog.Witness;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * This node as a witness for peer regulators. {@code add-checkpoint} is open to anyone: the
 * request is authenticated by the peer log's signature, which the witness checks. Regulators
 * choose which peer logs are witnessed.
 */
@RestController
class WitnessApi {

    private final PeerWitness witness;

    WitnessApi(PeerWitness witness) {
        this.witness = witness;
    }

    record NewLog(String vkey) {
    }

    /** c2sp.org/tlog-witness add-checkpoint. */
    @PostMapping("/ledger/witness/add-checkpoint")
    @PermitAll
    ResponseEntity<byte[]> addCheckpoint(HttpServletRequest request) throws IOException {
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(Note.MAX_SIZE + 1);
        }
        if (body.length > Note.MAX_SIZE) {
            throw new BodyTooLargeException(Note.MAX_SIZE);
        }
        Witness.Response response = witness.addCheckpoint(body);
        return ResponseEntity.status(response.status()).contentType(MediaType.parseMediaType(response.contentType()))
                .body(response.body());
    }

    /** The witness's cosigner key (name+keyid+base64(0x04 ‖ key)), for peers to pin. */
    @GetMapping("/ledger/witness/vkey")
    @PermitAll
    ResponseEntity<String> vkey() {
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("text/plain; charset=utf-8"))
                .body(witness.cosigner().verifier() + "\n");
    }

    @GetMapping("/api/v1/witness/logs")
    @PermitAll
    List<PeerWitness.PeerLog> logs() {
        return witness.logs();
    }

    @PostMapping("/api/v1/witness/logs")
    @PreAuthorize("hasRole('REGULATOR')")
    ResponseEntity<PeerWitness.PeerLog> add(@RequestBody NewLog body) {
        PeerWitness.PeerLog log = witness.add(body.vkey(), Actors.require().accountId());
        return ResponseEntity.created(URI.create("/api/v1/witness/logs")).body(log);
    }
}
