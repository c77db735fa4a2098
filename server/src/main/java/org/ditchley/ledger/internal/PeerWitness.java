package org.ditchley.ledger.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.ditchley.platform.ConflictException;
import org.ditchley.platform.InvalidInputException;
import org.ditchley.tlog.Checkpoint;
import org.ditchley.tlog.Cosigner;
import org.ditchley.tlog.MalformedNoteException;
import org.ditchley.tlog.NoteSigner;
import org.ditchley.tlog.NoteVerifier;
import org.ditchley.tlog.Witness;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * This node as a witness of its peers' logs (c2sp.org/tlog-witness): regulators register the
 * peer logs it trusts; peers submit their checkpoints with consistency proofs and get back this
 * node's cosignature. The witness key ({@code <data-dir>/witness.key}, owner-only) is separate
 * from the log key, as cosignatures use their own key type.
 */
@Service
class PeerWitness {

    record PeerLog(String origin, String vkey, long latestSize) {
    }

    private final JdbcClient db;
    private final Cosigner cosigner;

    PeerWitness(JdbcClient db, NoteSigner ledgerSigner, @Value("${ditchley.db.data-dir:data}") Path dataDir) {
        this.db = db;
        this.cosigner = Cosigner.fromSeed(ledgerSigner.name() + "/witness", seed(dataDir.resolve("witness.key")));
    }

    Cosigner cosigner() {
        return cosigner;
    }

    @Transactional
    PeerLog add(String vkey, UUID by) {
        NoteVerifier verifier;
        try {
            verifier = NoteVerifier.parse(vkey == null ? "" : vkey.strip());
        } catch (MalformedNoteException e) {
            throw new InvalidInputException("vkey", e.getMessage());
        }
        int added = db.sql("insert into witness_log (origin, vkey, added_by) values (?, ?, ?) on conflict (origin) do nothing")
                .params(verifier.name(), verifier.toString(), by).update();
        if (added == 0) {
            throw new ConflictException("duplicate-log", "log " + verifier.name() + " is already witnessed");
        }
        return new PeerLog(verifier.name(), verifier.toString(), 0);
    }

    List<PeerLog> logs() {
        return db.sql("select origin, vkey, latest_size from witness_log order by origin")
                .query((rs, n) -> new PeerLog(rs.getString(1), rs.getString(2), rs.getLong(3))).list();
    }

    /** Handles an add-checkpoint request body; the compare-and-set of the latest size is one UPDATE. */
    Witness.Response addCheckpoint(byte[] body) {
        Map<String, NoteVerifier> trusted = new HashMap<>();
        for (PeerLog log : logs()) {
            try {
                trusted.put(log.origin(), NoteVerifier.parse(log.vkey()));
            } catch (MalformedNoteException e) {
                throw new IllegalStateException("stored key of " + log.origin() + " is malformed", e);
            }
        }
        Witness witness = new Witness(cosigner, trusted, new Witness.State() {
            @Override
            public Optional<Checkpoint> latest(String origin) {
                return db.sql("select latest_note from witness_log where origin = ? and latest_note is not null").param(origin)
                        .query(byte[].class).optional().map(text -> {
                            try {
                                return Checkpoint.parse(new String(text, StandardCharsets.UTF_8));
                            } catch (MalformedNoteException e) {
                                throw new IllegalStateException("stored checkpoint of " + origin + " is malformed", e);
                            }
                        });
            }

            @Override
            public boolean compareAndSet(String origin, long expectedSize, Checkpoint next) {
                return db.sql("update witness_log set latest_size = ?, latest_note = ? where origin = ? and latest_size = ?")
                        .params(next.size(), next.text().getBytes(StandardCharsets.UTF_8), origin, expectedSize)
                        .update() == 1;
            }
        }, Clock.systemUTC());
        return witness.addCheckpoint(body);
    }

    private static byte[] seed(Path file) {
        try {
            if (Files.exists(file)) {
                return Base64.getDecoder().decode(Files.readString(file, StandardCharsets.UTF_8).strip());
            }
            byte[] seed = new byte[32];
            new SecureRandom().nextBytes(seed);
            Files.createDirectories(file.getParent());
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, Base64.getEncoder().encodeToString(seed) + "\n", StandardCharsets.UTF_8);
            return seed;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the witness key " + file, e);
        }
    }
}
