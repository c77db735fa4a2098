package org.ditchley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** What the progress line on standard error shows, and when. */
class ProgressTests {

    private final StringWriter err = new StringWriter();

    private Progress progress(long total) {
        return new Progress(new PrintWriter(err), total, 1 << 20, Progress::bytes);
    }

    @Test
    void aRunShorterThanHalfASecondDrawsNothing() {
        Progress p = progress(1L << 30);
        p.update(1L << 29);
        p.update(1L << 30);
        p.done();
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void theTimeLeftIsNotGuessedFromTheFirstFewBytes() throws InterruptedException {
        Progress p = progress(4L << 30);
        Thread.sleep(600);
        p.update(4096);
        assertThat(err.toString()).contains("4.00 GiB (0%)").contains("--:-- left");
    }

    @Test
    void theTimeLeftFollowsTheRateOnceAHundredthIsDone() throws InterruptedException {
        Progress p = progress(100L << 20);
        Thread.sleep(600);
        p.update(50L << 20);
        p.done();
        assertThat(err.toString()).contains("50.0 MiB / 100.0 MiB (50%)").containsPattern("0:0[01] left").endsWith(System.lineSeparator());
    }

    @Test
    void smallTotalsAreSilent() throws InterruptedException {
        Progress p = new Progress(new PrintWriter(err), 1000, 1 << 20, Progress::bytes);
        Thread.sleep(600);
        p.update(10);
        p.done();
        assertThat(err.toString()).isEmpty();
    }
}
