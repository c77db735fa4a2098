package org.ditchley.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.ditchley.tlog.MalformedNoteException;
import org.ditchley.tlog.NoteSigner;

/**
 * A node's Ed25519 note-signing key kept in a file, in the note signer-key format
 * ({@code PRIVATE+KEY+name+hash+key}, one line). The file is read if it exists; otherwise a key
 * named {@code name} is generated and written to a new file, readable by its owner only.
 */
public final class SigningKeyFile {

    private SigningKeyFile() {
    }

    /** The signer in {@code file}, created with a new key named {@code name} if there is none; {@code what} names the key in errors. */
    public static NoteSigner loadOrCreate(Path file, String name, String what) {
        try {
            if (Files.exists(file)) {
                return NoteSigner.parse(Files.readString(file, StandardCharsets.UTF_8).strip());
            }
            NoteSigner signer = NoteSigner.generate(name);
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, signer.secret() + "\n", StandardCharsets.UTF_8);
            return signer;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the " + what + " " + file, e);
        } catch (MalformedNoteException e) {
            throw new IllegalStateException(what + " " + file + " is malformed: " + e.getMessage(), e);
        }
    }
}
