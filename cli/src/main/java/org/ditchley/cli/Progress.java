package org.ditchley.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongFunction;

/**
 * A progress line on standard error for long runs: how much is done of how much, the rate, and
 * the time left at that rate ({@code --:--} until a hundredth of the work is done, when the
 * rate means something). Drawn first half a second in, then at most twice a second; silent for
 * totals below a minimum.
 */
final class Progress {

    private final PrintWriter err;
    private final long total;
    private final long minimum;
    private final LongFunction<String> format;
    private final long started = System.nanoTime();
    private long last = started;
    private boolean drawn;

    Progress(PrintWriter err, long total, long minimum, LongFunction<String> format) {
        this.err = err;
        this.total = total;
        this.minimum = minimum;
        this.format = format;
    }

    static String entries(long n) {
        return String.format(Locale.ROOT, "%,d entries", n);
    }

    static String bytes(long n) {
        return n >= 1 << 30 ? String.format(Locale.ROOT, "%.2f GiB", n / (double) (1 << 30))
                : String.format(Locale.ROOT, "%.1f MiB", n / (double) (1 << 20));
    }

    synchronized void update(long done) {
        long now = System.nanoTime();
        if (total >= minimum && now - last > 500_000_000L) {
            last = now;
            drawn = true;
            double seconds = (now - started) / 1e9;
            double rate = done / seconds;
            String left = "--:--";
            if (done > 0 && done >= total / 100) {
                long s = Math.round((total - done) / rate);
                left = String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
            }
            err.printf(Locale.ROOT, "\r%s / %s (%.0f%%), %s/s, %s left   ", format.apply(done), format.apply(total),
                    total == 0 ? 100.0 : 100.0 * done / total, format.apply((long) rate), left);
            err.flush();
        }
    }

    synchronized void done() {
        if (drawn) {
            err.println();
            err.flush();
        }
    }
}
