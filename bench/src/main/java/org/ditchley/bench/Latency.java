package org.ditchley.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Locale;

/** Sequential request latencies for one URL: percentiles over {@code n} requests after a warm-up. */
record Latency(String name, double p50, double p99, double max, int n) {

    static Latency measure(HttpClient http, String name, URI uri, int warmup, int n) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri).build();
        for (int i = 0; i < warmup; i++) {
            check(http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode(), uri);
        }
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            int status = http.send(request, HttpResponse.BodyHandlers.ofByteArray()).statusCode();
            ms[i] = (System.nanoTime() - t0) / 1e6;
            check(status, uri);
        }
        Arrays.sort(ms);
        return new Latency(name, ms[n / 2], ms[(int) Math.ceil(n * 0.99) - 1], ms[n - 1], n);
    }

    private static void check(int status, URI uri) {
        if (status != 200) {
            throw new IllegalStateException(uri + " answered " + status);
        }
    }

    String row(Latency baseline) {
        return String.format(Locale.ROOT, "%-44s p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms  (p99 = %5.1f × health p99)",
                name, p50, p99, max, p99 / baseline.p99);
    }
}
