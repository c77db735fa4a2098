package org.ditchley.agent;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * The protocol's times as text: UTC to the millisecond, exactly as {@link Instant#toString()}
 * prints an instant truncated to milliseconds, {@code 2026-01-02T03:04:05Z} for a whole second
 * and {@code 2026-01-02T03:04:05.678Z} otherwise (RFC 3339 §5.6, with {@code Z} and no
 * fraction of zeros). Only that canonical text parses, so that a time has one spelling.
 *
 * <p>Times in the years 0000 to 9999 are written and read field by field here; the JDK's
 * general formatter handles the rest (signed years), with the same result. Agents' requests
 * carry two times and licenses two more: the node reads and writes thousands a second.
 */
final class Times {

    private static final long MIN = LocalDateTime.of(0, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC);
    private static final long MAX = LocalDateTime.of(9999, 12, 31, 23, 59, 59).toEpochSecond(ZoneOffset.UTC);

    private Times() {
    }

    /** {@code t} as the protocol writes it, truncated to the millisecond. */
    static String format(Instant t) {
        long second = t.getEpochSecond();
        if (second < MIN || second > MAX) {
            return t.truncatedTo(ChronoUnit.MILLIS).toString();
        }
        LocalDateTime d = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC);
        int millis = t.getNano() / 1_000_000;
        StringBuilder b = new StringBuilder(24);
        digits(b, d.getYear(), 4).append('-');
        digits(b, d.getMonthValue(), 2).append('-');
        digits(b, d.getDayOfMonth(), 2).append('T');
        digits(b, d.getHour(), 2).append(':');
        digits(b, d.getMinute(), 2).append(':');
        digits(b, d.getSecond(), 2);
        if (millis != 0) {
            digits(b.append('.'), millis, 3);
        }
        return b.append('Z').toString();
    }

    /**
     * The instant {@code text} spells, which must be canonical: what {@link #format} writes.
     *
     * @throws DateTimeParseException for any other text, including a valid time spelled otherwise
     */
    static Instant parse(String text) {
        int n = text.length();
        if ((n == 20 || n == 24) && isDigit(text.charAt(0))) {
            int year = number(text, 0, 4);
            int month = number(text, 5, 2);
            int day = number(text, 8, 2);
            int hour = number(text, 11, 2);
            int minute = number(text, 14, 2);
            int second = number(text, 17, 2);
            int millis = n == 24 ? number(text, 20, 3) : 0;
            if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 || millis < 0
                    || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T' || text.charAt(13) != ':'
                    || text.charAt(16) != ':' || text.charAt(n - 1) != 'Z' || (n == 24 && (text.charAt(19) != '.' || millis == 0))) {
                throw notCanonical(text);
            }
            try {
                long epochSecond = LocalDateTime.of(year, month, day, hour, minute, second).toEpochSecond(ZoneOffset.UTC);
                return Instant.ofEpochSecond(epochSecond, millis * 1_000_000L);
            } catch (DateTimeException e) {
                throw notCanonical(text);
            }
        }
        Instant t = Instant.parse(text);
        if (!format(t).equals(text)) {
            throw notCanonical(text);
        }
        return t;
    }

    private static DateTimeParseException notCanonical(String text) {
        return new DateTimeParseException("not a canonical UTC time", text, 0);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The {@code width} decimal digits at {@code from}, or -1 if any is not a digit. */
    private static int number(String s, int from, int width) {
        int v = 0;
        for (int i = from; i < from + width; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static StringBuilder digits(StringBuilder b, int value, int width) {
        String s = Integer.toString(value);
        for (int i = s.length(); i < width; i++) {
            b.append('0');
        }
        return b.append(s);
    }
}
