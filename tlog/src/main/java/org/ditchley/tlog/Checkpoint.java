package org.ditchley.tlog;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A checkpoint (c2sp.org/tlog-checkpoint): the note text {@code <origin>\n<size>\n<base64 root>\n}
 * followed by optional extension lines, each ending in a newline.
 */
public record Checkpoint(String origin, long size, Hash root, List<String> extensions) {

    private static final Pattern SIZE = Pattern.compile("0|[1-9][0-9]{0,18}");

    public Checkpoint {
        if (origin == null || origin.isEmpty() || origin.contains("\n")) {
            throw new IllegalArgumentException("a checkpoint origin is a non-empty line");
        }
        if (size < 0) {
            throw new IllegalArgumentException("a checkpoint size is not negative");
        }
        java.util.Objects.requireNonNull(root, "root");
        extensions = List.copyOf(extensions);
        for (String e : extensions) {
            if (e.isEmpty() || e.contains("\n")) {
                throw new IllegalArgumentException("a checkpoint extension is a non-empty line");
            }
        }
    }

    public Checkpoint(String origin, long size, Hash root) {
        this(origin, size, root, List.of());
    }

    /** The note text of this checkpoint. */
    public String text() {
        StringBuilder b = new StringBuilder(origin).append('\n').append(size).append('\n').append(root.base64()).append('\n');
        extensions.forEach(e -> b.append(e).append('\n'));
        return b.toString();
    }

    /** Parses a checkpoint's note text (as {@link Note#text()} gives it). */
    public static Checkpoint parse(String text) throws MalformedNoteException {
        if (text == null || !text.endsWith("\n")) {
            throw new MalformedNoteException("checkpoint text must end with a newline");
        }
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        if (lines.length < 3) {
            throw new MalformedNoteException("checkpoint has " + lines.length + " lines; it needs origin, size and root");
        }
        if (lines[0].isEmpty()) {
            throw new MalformedNoteException("checkpoint origin is empty");
        }
        if (!SIZE.matcher(lines[1]).matches()) {
            throw new MalformedNoteException("checkpoint size '" + NoteVerifier.abbreviate(lines[1]) + "' is not a decimal number");
        }
        long size;
        try {
            size = Long.parseLong(lines[1]);
        } catch (NumberFormatException e) {
            throw new MalformedNoteException("checkpoint size " + lines[1] + " is out of range");
        }
        Hash root;
        try {
            byte[] bytes = java.util.Base64.getDecoder().decode(lines[2]);
            root = Hash.of(bytes);
        } catch (IllegalArgumentException e) {
            throw new MalformedNoteException("checkpoint root is not a base64 32-byte hash");
        }
        if (!root.base64().equals(lines[2])) {
            throw new MalformedNoteException("checkpoint root is not in canonical base64");
        }
        List<String> extensions = List.of(lines).subList(3, lines.length);
        if (extensions.stream().anyMatch(String::isEmpty)) {
            throw new MalformedNoteException("checkpoint has an empty extension line");
        }
        return new Checkpoint(lines[0], size, root, extensions);
    }

    /**
     * Opens a signed checkpoint: the note must be signed by {@code verifier} and its origin must be
     * the verifier's key name, as c2sp.org/tlog-checkpoint requires of the log's own signature.
     */
    public static Checkpoint open(byte[] signedNote, NoteVerifier verifier) throws TlogException {
        Note note = Note.open(signedNote, List.of(verifier));
        Checkpoint checkpoint = parse(note.text());
        if (!checkpoint.origin().equals(verifier.name())) {
            throw new MalformedNoteException("checkpoint origin '" + checkpoint.origin() + "' is not the log's key name '"
                    + verifier.name() + "'");
        }
        return checkpoint;
    }
}
