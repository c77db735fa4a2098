package org.ditchley.termination.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import org.ditchley.tlog.MalformedNoteException;
import org.ditchley.tlog.NoteSigner;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The key this node signs operating licenses and stop orders with, kept apart from the ledger's
 * key: agents pin its verifier key at install. Read from {@code ditchley.termination.key-file}
 * ({@code DITCHLEY_TERMINATION_KEY_FILE}; nodes sharing a database share it), else
 * {@code <data-dir>/termination.key}, created owner-only on first start.
 */
@Component
class TerminationKey {

    private final NoteSigner signer;

    TerminationKey(@Value("${ditchley.db.data-dir:data}") Path dataDir,
                   @Value("${ditchley.termination.key-file:}") String keyFile,
                   @Value("${ditchley.termination.key-name:}") String keyName) {
        Path file = keyFile.isBlank() ? dataDir.resolve("termination.key") : Path.of(keyFile);
        try {
            if (Files.exists(file)) {
                signer = NoteSigner.parse(Files.readString(file, StandardCharsets.UTF_8).strip());
                return;
            }
            String name = keyName.isBlank() ? "termination.ditchley.invalid/" + UUID.randomUUID().toString().substring(0, 8) : keyName;
            signer = NoteSigner.generate(name);
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, signer.secret() + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the termination key " + file, e);
        } catch (MalformedNoteException e) {
            throw new IllegalStateException("termination key " + file + " is malformed: " + e.getMessage(), e);
        }
    }

    NoteSigner signer() {
        return signer;
    }

    /** The verifier key agents pin. */
    String vkey() {
        return signer.verifier().toString();
    }
}
