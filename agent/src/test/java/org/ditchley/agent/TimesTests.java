package org.ditchley.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The protocol's times are written exactly as {@link Instant#toString()} prints them to the
 * millisecond, and a text is read exactly when it is what that writes: checked against the JDK
 * on instants across and beyond the four-digit years, and on every one-character change,
 * deletion and insertion of canonical times.
 */
class TimesTests {

    /** What a time text means by the JDK alone: the instant if it is canonical, else null. */
    private static Instant reference(String text) {
        try {
            Instant t = Instant.parse(text);
            return t.truncatedTo(ChronoUnit.MILLIS).toString().equals(text) ? t : null;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Instant ours(String text) {
        try {
            return Times.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    @Test
    void timesAreWrittenAsTheJdkPrintsThemAndReadBack() {
        SplittableRandom random = new SplittableRandom(11);
        long from = Instant.parse("-2000-01-01T00:00:00Z").getEpochSecond();
        long to = Instant.parse("+12000-01-01T00:00:00Z").getEpochSecond();
        for (int i = 0; i < 200_000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextLong(from, to), random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000_000));
            String expected = t.truncatedTo(ChronoUnit.MILLIS).toString();
            assertThat(Times.format(t)).isEqualTo(expected);
            assertThat(Times.parse(expected)).isEqualTo(t.truncatedTo(ChronoUnit.MILLIS));
        }
        assertThat(Times.format(Instant.parse("0000-01-01T00:00:00Z"))).isEqualTo("0000-01-01T00:00:00Z");
        assertThat(Times.format(Instant.parse("9999-12-31T23:59:59.999Z"))).isEqualTo("9999-12-31T23:59:59.999Z");
        assertThat(Times.format(Instant.parse("+10000-01-01T00:00:00Z"))).isEqualTo("+10000-01-01T00:00:00Z");
    }

    @Test
    void everyOneCharacterChangeOfACanonicalTimeIsReadAsTheJdkReadsIt() {
        List<String> bases = List.of("2026-11-28T12:00:00Z", "2026-11-28T12:00:00.001Z", "2024-02-29T23:59:59.999Z",
                "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "1970-01-01T00:00:00.500Z", "+10000-01-01T00:00:00Z");
        String alphabet = "0123456789-:T.Z+ zt\u0660";
        List<String> candidates = new ArrayList<>(bases);
        for (String base : bases) {
            for (int i = 0; i <= base.length(); i++) {
                if (i < base.length()) {
                    candidates.add(base.substring(0, i) + base.substring(i + 1));
                }
                for (char c : alphabet.toCharArray()) {
                    if (i < base.length()) {
                        candidates.add(base.substring(0, i) + c + base.substring(i + 1));
                    }
                    candidates.add(base.substring(0, i) + c + base.substring(i));
                }
            }
        }
        candidates.addAll(List.of("", "Z", "2026-11-28T12:00:00.000Z", "2026-11-28T12:00:00.1Z", "2026-11-28T12:00:00.10Z",
                "2026-11-28T12:00:60Z", "2026-11-28T24:00:00Z", "2026-02-30T00:00:00Z", "2026-11-28t12:00:00z",
                "2026-11-28T12:00:00+00:00", "2026-11-28T12:00:00.123456789Z", "2026-11-28 12:00:00Z", "-0001-01-01T00:00:00Z"));
        int accepted = 0;
        for (String text : candidates) {
            Instant expected = reference(text);
            assertThat(ours(text)).as("'%s'", text).isEqualTo(expected);
            accepted += expected == null ? 0 : 1;
        }
        assertThat(accepted).as("some changes are still canonical times").isGreaterThan(bases.size());
        assertThatThrownBy(() -> Times.parse("2026-11-28T12:00:00.000Z")).isInstanceOf(DateTimeParseException.class);
    }
}
