package io.personalizeimport.lambdas;

import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.protocols.jsoncore.JsonNodeParser;
import software.amazon.awssdk.protocols.jsoncore.JsonWriter;

/**
 * JSON for the describe function and the log, read and written with the AWS SDK's own JSON classes (json-utils), which
 * every SDK client of a JSON protocol loads anyway. What uses {@link Json} loads jackson-databind, 1.5 MB that the
 * describe function's 4 MB package has no room for (README, "Deployment packages").
 */
public final class JsonText {

    private static final JsonNodeParser PARSER = JsonNodeParser.create();

    private JsonText() {
    }

    /** The document in {@code json}; an empty document reads as JSON {@code null}. */
    public static JsonNode parse(InputStream json) {
        return PARSER.parse(json);
    }

    /** The node at {@code path} under {@code root}, if every step of it is an object field. */
    public static Optional<JsonNode> at(JsonNode root, String... path) {
        Optional<JsonNode> node = Optional.of(root);
        for (String field : path) {
            node = node.filter(JsonNode::isObject).flatMap(object -> object.field(field));
        }
        return node.filter(value -> !value.isNull());
    }

    /** The string or number at {@code path} as text, or null when it is absent or of another kind. */
    public static String text(JsonNode root, String... path) {
        return at(root, path).filter(node -> node.isString() || node.isNumber())
                .map(node -> node.isString() ? node.asString() : node.asNumber()).orElse(null);
    }

    /** The whole number at {@code path}, or {@code otherwise} when it is absent or no whole number. */
    public static long number(JsonNode root, long otherwise, String... path) {
        String text = text(root, path);
        try {
            return text == null ? otherwise : new BigDecimal(text).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            return otherwise;
        }
    }

    /**
     * Writes a value: strings, numbers, booleans, enums (by name), collections, maps and records (their non-null
     * components, as Jackson writes a record annotated {@code @JsonInclude(NON_NULL)}); anything else as its text.
     */
    public static byte[] write(Object value) {
        JsonWriter writer = JsonWriter.create();
        write(writer, value);
        return writer.getBytes();
    }

    static void write(JsonWriter writer, Object value) {
        switch (value) {
            case null -> writer.writeNull();
            case String text -> writer.writeValue(text);
            case Boolean bool -> writer.writeValue(bool);
            case Integer number -> writer.writeValue(number);
            case Long number -> writer.writeValue(number);
            case Double number -> writer.writeValue(number);
            case BigDecimal number -> writer.writeValue(number);
            case Enum<?> constant -> writer.writeValue(constant.name());
            case Collection<?> items -> {
                writer.writeStartArray();
                items.forEach(item -> write(writer, item));
                writer.writeEndArray();
            }
            case Map<?, ?> map -> {
                writer.writeStartObject();
                map.forEach((key, item) -> {
                    writer.writeFieldName(String.valueOf(key));
                    write(writer, item);
                });
                writer.writeEndObject();
            }
            case Record record -> writeRecord(writer, record);
            default -> writer.writeValue(value.toString());
        }
    }

    private static void writeRecord(JsonWriter writer, Record record) {
        writer.writeStartObject();
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            Object item;
            try {
                component.getAccessor().setAccessible(true);
                item = component.getAccessor().invoke(record);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + component + " of " + record.getClass(), e);
            }
            if (item != null) {
                writer.writeFieldName(component.getName());
                write(writer, item);
            }
        }
        writer.writeEndObject();
    }
}
