package org.ditchley.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** c2sp.org/tlog-tiles paths. */
class TilePathTests {

    @Test
    void indexEncodingFromTheSpec() {
        assertThat(TilePath.encodeIndex(1234067)).isEqualTo("x001/x234/067");
        assertThat(TilePath.encodeIndex(0)).isEqualTo("000");
        assertThat(TilePath.encodeIndex(999)).isEqualTo("999");
        assertThat(TilePath.encodeIndex(1000)).isEqualTo("x001/000");
    }

    @Test
    void aTreeOf70000EntriesHas273FullLevel0TilesAndAPartialOfWidth112() {
        assertThat(TilePath.fullTiles(0, 70_000)).isEqualTo(273);
        assertThat(TilePath.partialWidth(0, 70_000)).isEqualTo(112);
        assertThat(new TilePath(0, 273, 112).path()).isEqualTo("tile/0/273.p/112");
        assertThat(TilePath.fullTiles(1, 70_000)).isEqualTo(1);
        assertThat(TilePath.partialWidth(1, 70_000)).isEqualTo(17);
    }

    @Test
    void pathsRoundTrip() throws Exception {
        for (TilePath t : new TilePath[] {new TilePath(0, 1234067, 256), new TilePath(-1, 5, 3), new TilePath(2, 0, 255)}) {
            assertThat(TilePath.parse(t.path())).isEqualTo(t);
        }
        assertThat(TilePath.parse("tile/entries/x001/x234/067.p/8").entries()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tile/0/1", "tile/0/0001", "tile/0/x000/001", "tile/-1/000", "tile/64/000", "tile/00/000",
            "tile/0/000.p/0", "tile/0/000.p/256", "tile/0/000.p/012", "tile/0/x999/x999/x999/x999/x999/x999/x999/000",
            "tile/0/000/", "tile/0/../000", "tile/entries/abc", "tile/1/000.p/"})
    void malformedPathsAreRefused(String path) {
        assertThatThrownBy(() -> TilePath.parse(path)).isInstanceOf(MalformedNoteException.class);
    }
}
