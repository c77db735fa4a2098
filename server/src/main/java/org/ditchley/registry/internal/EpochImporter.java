package org.ditchley.registry.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.ditchley.identity.Actor;
import org.ditchley.identity.Organisation;
import org.ditchley.identity.OrganisationKind;
import org.ditchley.identity.Organisations;
import org.ditchley.platform.DitchleyException;
import org.ditchley.platform.InvalidInputException;
import org.ditchley.registry.LineageRelation;
import org.ditchley.registry.ModelRegistered;
import org.ditchley.registry.ModelStatus;
import org.ditchley.registry.ModelUpdated;
import org.ditchley.registry.RegistryImported;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Imports Epoch AI's notable-models CSV (epoch.ai/data): models with their developers (the first
 * organisation named; rows naming none go under {@value #UNATTRIBUTED}), reported training compute, parameters, training data, hardware and
 * declared lineage ({@code Base model}, comma-separated names of other rows).
 *
 * <p>The whole file is parsed before anything is written, so a malformed file (a broken quote)
 * is refused with the line named and changes nothing. Rows are then written in batches of
 * {@value #BATCH} per transaction: a crash loses at most the batch in flight, and importing the
 * file again completes it. Imports are idempotent: a model is keyed by its Epoch name, and a row
 * whose facts are unchanged is left alone.
 */
@Service
public class EpochImporter {

    static final int BATCH = 100;
    static final int MAX_FIELD = 100_000;
    static final String SOURCE = "epoch";
    /** The developer of record for rows that name no organisation, so that their lineage is kept. */
    static final String UNATTRIBUTED = "Unattributed (Epoch AI)";

    /** What became of one row of the file; {@code line} is the line of the file on which the row ends. */
    public record RowResult(int row, long line, String model, Outcome outcome, List<String> notes) {
    }

    public enum Outcome { CREATED, UPDATED, UNCHANGED, SKIPPED }

    public record Report(UUID id, String fileSha256, int rows, int created, int updated, int unchanged, int skipped,
                         int lineageDeclared, List<RowResult> results) {
    }

    /** A parsed row: the model to register, its developer and jurisdiction, and the names of its parents. */
    private record Row(int row, long line, String name, String organisation, String country, ModelDraft draft,
                       List<String> parents, List<String> notes) {
    }

    private final JdbcClient db;
    private final ModelStore models;
    private final ModelService modelService;
    private final ChipCatalog chips;
    private final Organisations organisations;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate tx;
    private final JsonMapper json;

    EpochImporter(JdbcClient db, ModelStore models, ModelService modelService, ChipCatalog chips,
                  Organisations organisations, ApplicationEventPublisher events, TransactionTemplate tx, JsonMapper json) {
        this.db = db;
        this.models = models;
        this.modelService = modelService;
        this.chips = chips;
        this.organisations = organisations;
        this.events = events;
        this.tx = tx;
        this.json = json;
    }

    public Report importCsv(Actor regulator, InputStream input) {
        MessageDigest sha256 = sha256();
        List<Row> rows = new ArrayList<>();
        List<RowResult> results = new ArrayList<>();
        parse(new DigestInputStream(input, sha256), rows, results);
        String digest = HexFormat.of().formatHex(sha256.digest());

        Map<String, UUID> ids = new HashMap<>();
        for (int from = 0; from < rows.size(); from += BATCH) {
            List<Row> batch = rows.subList(from, Math.min(rows.size(), from + BATCH));
            tx.executeWithoutResult(status -> {
                for (Row row : batch) {
                    results.add(write(regulator, row, ids));
                }
            });
        }
        int lineage = 0;
        for (int from = 0; from < rows.size(); from += BATCH) {
            List<Row> batch = rows.subList(from, Math.min(rows.size(), from + BATCH));
            lineage += tx.execute(status -> declareLineage(regulator, batch, ids, results));
        }
        results.sort(java.util.Comparator.comparingInt(RowResult::row));
        int created = count(results, Outcome.CREATED);
        int updated = count(results, Outcome.UPDATED);
        int unchanged = count(results, Outcome.UNCHANGED);
        int skipped = count(results, Outcome.SKIPPED);
        int rowCount = results.size();
        int declared = lineage;
        UUID id = tx.execute(status -> {
            UUID importId = db.sql("""
                    insert into registry_import (format, file_sha256, imported_by, rows_read, created, updated, unchanged,
                        skipped, report) values ('epoch-notable-models', ?, ?, ?, ?, ?, ?, ?, cast(? as jsonb)) returning id""")
                    .params(digest, regulator.accountId(), rowCount, created, updated, unchanged, skipped,
                            json.writeValueAsString(results))
                    .query(UUID.class).single();
            events.publishEvent(new RegistryImported(importId, "epoch-notable-models", digest, created, updated,
                    unchanged, skipped, regulator.accountId(), Instant.now()));
            return importId;
        });
        return new Report(id, digest, rowCount, created, updated, unchanged, skipped, declared, results);
    }

    public Optional<Report> find(UUID id) {
        return db.sql("select * from registry_import where id = ?").param(id).query((rs, n) -> {
            List<RowResult> results = Arrays.asList(json.readValue(rs.getString("report"), RowResult[].class));
            return new Report(id, rs.getString("file_sha256"), rs.getInt("rows_read"), rs.getInt("created"),
                    rs.getInt("updated"), rs.getInt("unchanged"), rs.getInt("skipped"), -1, results);
        }).optional();
    }

    private void parse(InputStream input, List<Row> rows, List<RowResult> results) {
        Reader reader = new InputStreamReader(input, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
        CSVFormat format = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true)
                .setIgnoreEmptyLines(true).setAllowMissingColumnNames(true).setDuplicateHeaderMode(
                        org.apache.commons.csv.DuplicateHeaderMode.ALLOW_ALL).get();
        Map<String, Integer> seen = new HashMap<>();
        int index = 0;
        try (CSVParser parser = CSVParser.builder().setReader(reader).setFormat(format).get()) {
            Map<String, Integer> header = new HashMap<>();
            parser.getHeaderMap().forEach((k, v) -> header.put(k.replace("\uFEFF", "").strip(), v));
            for (String required : List.of("Model", "Organization")) {
                if (!header.containsKey(required)) {
                    throw new InvalidInputException("file", "missing column '" + required + "'; is this Epoch AI's notable-models CSV?");
                }
            }
            var iterator = parser.iterator();
            while (true) {
                CSVRecord record;
                try {
                    if (!iterator.hasNext()) {
                        break;
                    }
                    record = iterator.next();
                } catch (UncheckedIOException | IllegalStateException e) {
                    throw new InvalidInputException("file", "malformed CSV after line " + parser.getCurrentLineNumber()
                            + ": " + rootMessage(e));
                }
                index++;
                Fields f = new Fields(header, record);
                List<String> notes = new ArrayList<>();
                String name = f.text("Model");
                long line = parser.getCurrentLineNumber();
                if (f.oversized() != null) {
                    results.add(skip(index, line, name, "field '" + f.oversized() + "' is longer than " + MAX_FIELD + " characters"));
                    continue;
                }
                if (name == null) {
                    results.add(skip(index, line, null, "no model name"));
                    continue;
                }
                if (name.length() > 200) {
                    results.add(skip(index, line, name.substring(0, 200), "model name is longer than 200 characters"));
                    continue;
                }
                Integer earlier = seen.putIfAbsent(name.toLowerCase(Locale.ROOT), index);
                if (earlier != null) {
                    results.add(skip(index, line, name, "duplicate of row " + earlier));
                    continue;
                }
                String organisation = first(f.text("Organization"));
                if (organisation == null) {
                    organisation = UNATTRIBUTED;
                    notes.add("no organisation named; registered under '" + UNATTRIBUTED + "'");
                }
                try {
                    rows.add(toRow(index, line, name, organisation, f, notes));
                } catch (DitchleyException e) {
                    results.add(skip(index, line, name, e.getMessage()));
                }
            }
        } catch (IOException e) {
            if (e instanceof CharacterCodingException) {
                throw new InvalidInputException("file", "is not UTF-8 text");
            }
            throw new UncheckedIOException(e);
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof CharacterCodingException) {
                throw new InvalidInputException("file", "is not UTF-8 text");
            }
            throw new InvalidInputException("file", "malformed CSV: " + rootMessage(e));
        }
    }

    private Row toRow(int index, long line, String name, String organisation, Fields f, List<String> notes) {
        String domain = first(f.text("Domain"));
        Double params = f.number("Parameters", notes);
        Double tokens = domain != null && domain.toLowerCase(Locale.ROOT).contains("language")
                ? f.number("Training dataset size (total)", notes) : null;
        Double compute = f.number("Training compute (FLOP)", notes);
        String hardware = first(f.text("Training hardware"));
        String chip = hardware == null ? null : chips.byAlias(hardware).map(ChipCatalog.Chip::id).orElse(null);
        if (hardware != null && chip == null) {
            notes.add("training hardware '" + hardware + "' is not in the chip catalog; no hardware estimate");
        }
        Double utilisation = f.number("Hardware utilization (MFU)", notes);
        if (utilisation != null && utilisation > 1) {
            notes.add("utilisation " + utilisation + " is not a fraction; ignored");
            utilisation = null;
        }
        String confidence = f.text("Confidence");
        String access = f.text("Model accessibility");
        LocalDate published = null;
        String date = f.text("Publication date");
        if (date != null) {
            try {
                published = LocalDate.parse(date);
            } catch (DateTimeParseException e) {
                notes.add("publication date '" + date + "' is not YYYY-MM-DD; ignored");
            }
        }
        ModelDraft draft = new ModelDraft(name, "", domain == null ? "unspecified" : domain, params, null, tokens, compute,
                compute == null ? null : "Epoch AI estimate" + (confidence == null ? "" : " (confidence: " + confidence + ")"),
                chip, chip == null ? null : f.number("Hardware quantity", notes),
                chip == null ? null : f.number("Training time (hours)", notes), chip == null ? null : utilisation, null,
                access != null && access.startsWith("Open weights"), published);
        String base = f.text("Base model");
        List<String> parents = base == null ? List.of()
                : Arrays.stream(base.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        return new Row(index, line, name, organisation, first(f.text("Country (of organization)")), draft, parents, notes);
    }

    private RowResult write(Actor regulator, Row row, Map<String, UUID> ids) {
        Organisation org = organisations.findOrCreate(row.organisation(), OrganisationKind.DEVELOPER,
                row.country() == null ? "unspecified" : row.country());
        Optional<Model> existing = models.findBySource(SOURCE, row.name());
        ComputeEstimates estimates = modelService.estimates(row.draft());
        if (existing.isEmpty()) {
            Optional<Model> registered = models.findByIdentity(org.id(), row.name(), "");
            if (registered.isPresent()) {
                ids.put(row.name().toLowerCase(Locale.ROOT), registered.get().id());
                return new RowResult(row.row(), row.line(), row.name(), Outcome.SKIPPED,
                        List.of("already registered by " + org.name() + "; the registration is kept"));
            }
            UUID id = models.insert(org.id(), row.draft(), ModelStatus.REGISTERED, estimates, SOURCE, row.name(),
                    regulator.accountId());
            ids.put(row.name().toLowerCase(Locale.ROOT), id);
            events.publishEvent(new ModelRegistered(id, org.id(), row.name(), "", SOURCE, regulator.accountId(), Instant.now()));
            return new RowResult(row.row(), row.line(), row.name(), Outcome.CREATED, row.notes());
        }
        Model model = existing.get();
        ids.put(row.name().toLowerCase(Locale.ROOT), model.id());
        List<String> changed = ModelService.changedFields(model.facts(), row.draft());
        if (changed.isEmpty()) {
            return new RowResult(row.row(), row.line(), row.name(), Outcome.UNCHANGED, row.notes());
        }
        models.update(model.id(), row.draft(), estimates);
        events.publishEvent(new ModelUpdated(model.id(), model.organisationId(), changed, regulator.accountId(), Instant.now()));
        return new RowResult(row.row(), row.line(), row.name(), Outcome.UPDATED, row.notes());
    }

    private int declareLineage(Actor regulator, List<Row> batch, Map<String, UUID> ids, List<RowResult> results) {
        int declared = 0;
        for (Row row : batch) {
            UUID child = ids.get(row.name().toLowerCase(Locale.ROOT));
            if (child == null || row.parents().isEmpty()) {
                continue;
            }
            LineageRelation relation = row.parents().size() > 1 ? LineageRelation.MERGE : LineageRelation.FINETUNE;
            Map<UUID, LineageRelation> known = new LinkedHashMap<>();
            modelService.parents(child).forEach(e -> known.put(e.parentId(), e.relation()));
            for (String parentName : row.parents()) {
                UUID parent = ids.get(parentName.toLowerCase(Locale.ROOT));
                if (parent == null) {
                    parent = models.findBySource(SOURCE, parentName).map(Model::id).orElse(null);
                }
                if (parent == null) {
                    row.notes().add("base model '" + parentName + "' is not in the file; lineage not recorded");
                    continue;
                }
                if (known.get(parent) == relation) {
                    continue;
                }
                try {
                    modelService.declareParentUnchecked(models.find(child).orElseThrow(), parent, relation,
                            regulator.accountId());
                    declared++;
                } catch (DitchleyException e) {
                    row.notes().add("lineage to '" + parentName + "' refused: " + e.getMessage());
                }
            }
        }
        return declared;
    }

    private static RowResult skip(int row, long line, String name, String reason) {
        return new RowResult(row, line, name, Outcome.SKIPPED, List.of(reason));
    }

    private static int count(List<RowResult> results, Outcome outcome) {
        return (int) results.stream().filter(r -> r.outcome() == outcome).count();
    }

    private static String first(String value) {
        if (value == null) {
            return null;
        }
        String first = value.split(",")[0].strip();
        return first.isEmpty() ? null : first;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        String message = t.getMessage();
        return message == null ? t.getClass().getSimpleName() : message.length() > 300 ? message.substring(0, 300) : message;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Named fields of one record; values are stripped, empty ones are null. */
    private static final class Fields {
        private final Map<String, Integer> header;
        private final CSVRecord record;

        Fields(Map<String, Integer> header, CSVRecord record) {
            this.header = header;
            this.record = record;
        }

        String oversized() {
            for (var e : header.entrySet()) {
                if (e.getValue() < record.size() && record.get(e.getValue()).length() > MAX_FIELD) {
                    return e.getKey();
                }
            }
            return null;
        }

        String text(String column) {
            Integer i = header.get(column);
            if (i == null || i >= record.size()) {
                return null;
            }
            String value = record.get(i).strip();
            return value.isEmpty() ? null : value;
        }

        /** A finite, positive number, or null (with a note) when the field holds anything else. */
        Double number(String column, List<String> notes) {
            String value = text(column);
            if (value == null) {
                return null;
            }
            try {
                double d = Double.parseDouble(value.replace(",", ""));
                if (!Double.isFinite(d) || d <= 0 || d > ModelDraft.MAX_COMPUTE) {
                    notes.add(column + " '" + abbreviate(value) + "' is out of range; ignored");
                    return null;
                }
                return d;
            } catch (NumberFormatException e) {
                notes.add(column + " '" + abbreviate(value) + "' is not a number; ignored");
                return null;
            }
        }

        private static String abbreviate(String s) {
            return s.length() > 40 ? s.substring(0, 40) + "…" : s;
        }
    }
}
