package org.ditchley.cli;

import java.io.StringWriter;
import java.util.Map;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.PrettyPrinter;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.databind.JsonNode;

/**
 * Pretty-printed JSON text of a tree, written with Jackson's streaming generator alone. A data
 * binding mapper takes a fifth of a second of CPU to set up, which on a fingerprint run is time
 * taken from hashing; the trees the CLI prints hold only objects, arrays, strings, numbers,
 * booleans and nulls, which the generator writes directly.
 */
final class JsonText {

    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonText() {
    }

    /** The tree as indented JSON, as Jackson's default pretty printer lays it out. */
    static String pretty(JsonNode tree) {
        StringWriter out = new StringWriter();
        ObjectWriteContext indented = new ObjectWriteContext.Base() {
            @Override
            public PrettyPrinter getPrettyPrinter() {
                return new DefaultPrettyPrinter();
            }

            @Override
            public boolean hasPrettyPrinter() {
                return true;
            }
        };
        try (JsonGenerator g = FACTORY.createGenerator(indented, out)) {
            write(tree, g);
        }
        return out.toString();
    }

    private static void write(JsonNode n, JsonGenerator g) {
        switch (n.getNodeType()) {
            case OBJECT -> {
                g.writeStartObject();
                for (Map.Entry<String, JsonNode> e : n.properties()) {
                    g.writeName(e.getKey());
                    write(e.getValue(), g);
                }
                g.writeEndObject();
            }
            case ARRAY -> {
                g.writeStartArray();
                for (JsonNode element : n) {
                    write(element, g);
                }
                g.writeEndArray();
            }
            case STRING -> g.writeString(n.asString());
            case BOOLEAN -> g.writeBoolean(n.booleanValue());
            case NULL -> g.writeNull();
            case NUMBER -> {
                if (n.isIntegralNumber()) {
                    g.writeNumber(n.bigIntegerValue());
                } else {
                    g.writeNumber(n.decimalValue());
                }
            }
            default -> throw new IllegalArgumentException("no JSON text for a " + n.getNodeType() + " node");
        }
    }
}
