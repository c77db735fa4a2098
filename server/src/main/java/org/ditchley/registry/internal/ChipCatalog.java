package org.ditchley.registry.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** Accelerators and their peak dense FLOP/s per precision, with the names other catalogues use for them. */
@Service
public class ChipCatalog {

    public record Chip(String id, String name, String vendor, String defaultPrecision, Map<String, Double> peakFlops) {
    }

    private final JdbcClient db;
    private volatile Map<String, Chip> chips;
    private volatile Map<String, String> aliases;

    ChipCatalog(JdbcClient db) {
        this.db = db;
    }

    public List<Chip> all() {
        return chips().values().stream().sorted(java.util.Comparator.comparing(Chip::id)).toList();
    }

    public Optional<Chip> find(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(chips().get(id));
    }

    /** The catalog chip another catalogue's name stands for (case-insensitive), if known. */
    public Optional<Chip> byAlias(String name) {
        if (name == null) {
            return Optional.empty();
        }
        loadIfNeeded();
        String id = aliases.get(name.strip().toLowerCase(java.util.Locale.ROOT));
        return id == null ? find(name.strip()) : find(id);
    }

    private Map<String, Chip> chips() {
        loadIfNeeded();
        return chips;
    }

    private void loadIfNeeded() {
        if (chips != null) {
            return;
        }
        Map<String, Map<String, Double>> peaks = new HashMap<>();
        db.sql("select chip_id, precision, peak_flops from chip_peak").query((rs, n) ->
                peaks.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(rs.getString(2), rs.getDouble(3))).list();
        Map<String, Chip> loaded = new HashMap<>();
        db.sql("select id, name, vendor, default_precision from chip").query((rs, n) -> loaded.put(rs.getString(1),
                new Chip(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        Map.copyOf(peaks.getOrDefault(rs.getString(1), Map.of()))))).list();
        Map<String, String> loadedAliases = new HashMap<>();
        db.sql("select alias, chip_id from chip_alias").query((rs, n) ->
                loadedAliases.put(rs.getString(1).toLowerCase(java.util.Locale.ROOT), rs.getString(2))).list();
        aliases = loadedAliases;
        chips = loaded;
    }
}
