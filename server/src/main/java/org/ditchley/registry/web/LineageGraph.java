package org.ditchley.registry.web;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.ditchley.registry.internal.LineageStore;

/**
 * A drawing of a model's lineage: ancestors in rows above the model (nearest first), descendants
 * in rows below, each row centred; a line for every declared edge among them. Coordinates are
 * SVG user units; the template renders the nodes and lines and escapes every label.
 */
record LineageGraph(int width, int height, List<Node> nodes, List<Line> lines) {

    static final int NODE_WIDTH = 200;
    static final int NODE_HEIGHT = 34;
    static final int GAP_X = 16;
    static final int GAP_Y = 56;
    static final int MARGIN = 12;
    static final int MAX_LABEL = 28;

    record Node(UUID id, String name, String label, int x, int y, boolean current) {
        public int centreX() {
            return x + NODE_WIDTH / 2;
        }
    }

    record Line(int x1, int y1, int x2, int y2, String relation) {
    }

    static LineageGraph of(UUID modelId, String modelName, List<LineageStore.Relative> ancestors,
                           List<LineageStore.Relative> descendants, List<LineageStore.Edge> edges) {
        TreeMap<Integer, List<Entry>> rows = new TreeMap<>();
        rows.computeIfAbsent(0, r -> new ArrayList<>()).add(new Entry(modelId, modelName, true));
        ancestors.forEach(a -> rows.computeIfAbsent(-a.depth(), r -> new ArrayList<>()).add(entry(a)));
        descendants.forEach(d -> rows.computeIfAbsent(d.depth(), r -> new ArrayList<>()).add(entry(d)));
        rows.values().forEach(row -> row.sort(Comparator.comparing(Entry::name, String.CASE_INSENSITIVE_ORDER)));

        int widest = rows.values().stream().mapToInt(List::size).max().orElse(1);
        int width = 2 * MARGIN + widest * NODE_WIDTH + (widest - 1) * GAP_X;
        int height = 2 * MARGIN + rows.size() * NODE_HEIGHT + (rows.size() - 1) * GAP_Y;

        List<Node> nodes = new ArrayList<>();
        Map<UUID, Node> byId = new HashMap<>();
        int rowIndex = 0;
        for (List<Entry> row : rows.values()) {
            int rowWidth = row.size() * NODE_WIDTH + (row.size() - 1) * GAP_X;
            int x = (width - rowWidth) / 2;
            int y = MARGIN + rowIndex * (NODE_HEIGHT + GAP_Y);
            for (Entry e : row) {
                Node node = new Node(e.id(), e.name(), label(e.name()), x, y, e.current());
                nodes.add(node);
                byId.put(e.id(), node);
                x += NODE_WIDTH + GAP_X;
            }
            rowIndex++;
        }
        List<Line> lines = new ArrayList<>();
        for (LineageStore.Edge edge : edges) {
            Node parent = byId.get(edge.parentId());
            Node child = byId.get(edge.childId());
            if (parent != null && child != null) {
                boolean down = parent.y() < child.y();
                lines.add(new Line(parent.centreX(), down ? parent.y() + NODE_HEIGHT : parent.y(),
                        child.centreX(), down ? child.y() : child.y() + NODE_HEIGHT,
                        edge.relation().name().toLowerCase()));
            }
        }
        return new LineageGraph(width, height, nodes, lines);
    }

    public int nodeWidth() {
        return NODE_WIDTH;
    }

    public int nodeHeight() {
        return NODE_HEIGHT;
    }

    public boolean hasRelatives() {
        return nodes.size() > 1;
    }

    private record Entry(UUID id, String name, boolean current) {
    }

    private static Entry entry(LineageStore.Relative r) {
        String name = r.version() == null || r.version().isEmpty() ? r.name() : r.name() + " " + r.version();
        return new Entry(r.id(), name, false);
    }

    private static String label(String name) {
        return name.length() <= MAX_LABEL ? name : name.substring(0, MAX_LABEL - 1) + "…";
    }
}
