package org.ditchley.agent;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The text of the agent protocol's notes: a header line naming the message and its version, then
 * {@code key value} lines in a fixed order (some repeated), each ending in a newline, as the text
 * of a c2sp.org/signed-note. Parsing is strict: any other key, order, spacing or value is refused.
 */
final class Lines {

    static final Pattern HEX_DIGEST = Pattern.compile("[0-9a-f]{64}");
    static final Pattern NONCE = Pattern.compile("[0-9a-f]{32,128}");
    /** A decimal number without sign or leading zeros, at most 19 digits. */
    static final Pattern NUMBER = Pattern.compile("0|[1-9][0-9]{0,18}");
    static final int MAX_TEXT = 1 << 20;

    private final String what;
    private final String[] lines;
    private int at;

    private Lines(String what, String[] lines) {
        this.what = what;
        this.lines = lines;
        this.at = 1;
    }

    /** Starts reading {@code text}, whose first line must be {@code header}. */
    static Lines read(String text, String header) throws ProtocolException {
        if (text == null || text.length() > MAX_TEXT || !text.endsWith("\n")) {
            throw new ProtocolException("a " + header + " must be text ending in a newline, of at most " + MAX_TEXT + " characters");
        }
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        if (!lines[0].equals(header)) {
            throw new ProtocolException("expected a " + header + ", not a message starting '" + clip(lines[0]) + "'");
        }
        return new Lines(header, lines);
    }

    /** The value of the next line, which must be {@code key value}. */
    String next(String key) throws ProtocolException {
        if (at >= lines.length) {
            throw new ProtocolException(what + " ends before its " + key + " line");
        }
        String line = lines[at];
        if (!line.startsWith(key + " ") || line.length() == key.length() + 1) {
            throw new ProtocolException(what + " has '" + clip(line) + "' where its " + key + " line belongs");
        }
        at++;
        return line.substring(key.length() + 1);
    }

    /** The values of the {@code key} lines that come next, possibly none. */
    List<String> repeated(String key) throws ProtocolException {
        List<String> out = new java.util.ArrayList<>();
        while (at < lines.length && lines[at].startsWith(key + " ")) {
            out.add(next(key));
        }
        return out;
    }

    void end() throws ProtocolException {
        if (at != lines.length) {
            throw new ProtocolException(what + " has an unexpected line '" + clip(lines[at]) + "'");
        }
    }

    UUID uuid(String key) throws ProtocolException {
        return uuid(key, next(key));
    }

    UUID uuid(String key, String value) throws ProtocolException {
        try {
            UUID id = UUID.fromString(value);
            if (!id.toString().equals(value)) {
                throw new IllegalArgumentException();
            }
            return id;
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(what + " has " + key + " '" + clip(value) + "', not a UUID in canonical form");
        }
    }

    Instant time(String key) throws ProtocolException {
        String value = next(key);
        try {
            return Times.parse(value);
        } catch (DateTimeParseException e) {
            throw new ProtocolException(what + " has " + key + " '" + clip(value) + "', not a UTC time like 2026-01-02T03:04:05Z or 2026-01-02T03:04:05.678Z");
        }
    }

    long number(String key, long min, long max) throws ProtocolException {
        String value = next(key);
        if (!NUMBER.matcher(value).matches()) {
            throw new ProtocolException(what + " has " + key + " '" + clip(value) + "', not a number");
        }
        long n;
        try {
            n = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new ProtocolException(what + " has " + key + " " + clip(value) + ", out of range");
        }
        if (n < min || n > max) {
            throw new ProtocolException(what + " has " + key + " " + n + ", outside " + min + " to " + max);
        }
        return n;
    }

    String matching(String key, Pattern pattern) throws ProtocolException {
        return matching(key, next(key), pattern);
    }

    String matching(String key, String value, Pattern pattern) throws ProtocolException {
        if (!pattern.matcher(value).matches()) {
            throw new ProtocolException(what + " has " + key + " '" + clip(value) + "', not of the form " + pattern.pattern());
        }
        return value;
    }

    /** A time as the protocol writes it ({@link Times}). */
    static String format(Instant t) {
        return Times.format(t);
    }

    static String clip(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}
