package org.ditchley.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.ditchley.support.Node;
import org.ditchley.support.NodeTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Hostile reads of the public ledger API: malformed, non-canonical, negative and huge tile
 * paths, indexes and sizes. Each gets the 4xx it deserves as a problem detail with its reason,
 * never a 500.
 */
@NodeTest
class LedgerBadInputTests {

    @Autowired
    Node node;

    @BeforeEach
    void somethingIsPublished() throws Exception {
        node.developer();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (node.anonymous().get("/ledger/checkpoint").status() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    static Stream<Arguments> requests() {
        return Stream.of(
                Arguments.of("/ledger/tile/0/-1", 400, "tile path"),
                Arguments.of("/ledger/tile/0/1", 400, "tile path"),
                Arguments.of("/ledger/tile/00/000", 400, "tile path"),
                Arguments.of("/ledger/tile/0/x1/000", 400, "tile path"),
                Arguments.of("/ledger/tile/0/x000/001", 400, "canonical"),
                Arguments.of("/ledger/tile/0/000.p/0", 400, "tile path"),
                Arguments.of("/ledger/tile/0/000.p/256", 400, "256"),
                Arguments.of("/ledger/tile/0/000.p/257", 400, "256"),
                Arguments.of("/ledger/tile/0/000.p/007", 400, "tile path"),
                Arguments.of("/ledger/tile/entries/000.p/999", 400, "256"),
                Arguments.of("/ledger/tile/0/000/more", 400, "tile path"),
                Arguments.of("/ledger/tile/64/000", 400, "level"),
                Arguments.of("/ledger/tile/0/x999/x999/x999/x999/x999/x999/x999/999", 400, "too large"),
                Arguments.of("/ledger/tile/0/x009/x223/x372/x036/x854/x775/807", 400, "too large"),
                Arguments.of("/ledger/tile/0/x999/x999/x999/x999/x999/999", 404, "published tree"),
                Arguments.of("/ledger/tile/7/000", 404, "published tree"),
                Arguments.of("/ledger/tile/63/000", 404, "published tree"),
                Arguments.of("/ledger/tile/0/999.p/5", 404, "published tree"),
                Arguments.of("/ledger/tile/entries/x001/000", 404, "published tree"),
                Arguments.of("/ledger/tile/" + "x".repeat(5000), 400, ""),
                Arguments.of("/ledger/entries/abc", 400, "index"),
                Arguments.of("/ledger/entries/99999999999999999999", 400, "index"),
                Arguments.of("/ledger/entries/-5", 404, "ledger entry"),
                Arguments.of("/ledger/entries/9223372036854775807", 404, "ledger entry"),
                Arguments.of("/ledger/entries/9223372036854775807/receipt", 404, "published tree"),
                Arguments.of("/ledger/entries/0/proof?size=abc", 400, "size"),
                Arguments.of("/ledger/entries/0/proof?size=-1", 400, "size"),
                Arguments.of("/ledger/entries/0/proof?size=9223372036854775807", 400, "size"),
                Arguments.of("/ledger/entries/-1/proof", 400, "size"),
                Arguments.of("/ledger/consistency?from=1", 400, "to"),
                Arguments.of("/ledger/consistency?from=-1&to=1", 400, "from"),
                Arguments.of("/ledger/consistency?from=0&to=1", 400, "from"),
                Arguments.of("/ledger/consistency?from=1&to=9223372036854775807", 400, "from"),
                Arguments.of("/ledger/consistency?from=1&to=1e3", 400, "to"),
                Arguments.of("/ledger/records/not-a-uuid", 400, "id"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("requests")
    void isRefusedWithItsReason(String path, int status, String reason) {
        Node.Response r = node.anonymous().get(path);
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        if (!reason.isEmpty()) {
            assertThat(r.contentType()).as(r.toString()).startsWith("application/problem+json");
            assertThat(r.json().get("detail").asString()).as(r.toString()).containsIgnoringCase(reason);
        }
    }
}
