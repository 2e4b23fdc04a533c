package io.personalizeimport.lambdas;

import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.protocols.jsoncore.JsonNodeParser;
import software.amazon.awssdk.protocols.jsoncore.JsonWriter;

/**
 * The functions' JSON, read and written with the AWS SDK's own JSON classes (json-utils), which every SDK client of a
 * JSON protocol loads anyway. jackson-databind would add 1.5 MB to each package and a slow first use to each cold
 * start (README, "Deployment packages").
 *
 * <p>Records are written as their components, in order, and read back through their canonical constructor: the
 * execution inputs, task outputs and event details that the state machine and subscribers read.
 */
public final class JsonText {

    private static final JsonNodeParser PARSER = JsonNodeParser.create();

    /** JSON {@code null}: what an empty document or an absent path reads as. */
    public static final JsonNode NULL = PARSER.parse("null");

    /** Which components of a record {@link #write} leaves out. */
    public enum Inclusion {
        /** None: a null component is written as {@code null}, for paths the state machine reads. */
        ALWAYS,
        /** Null components; the default. */
        NON_NULL,
        /** Null components, and empty strings, collections and maps. */
        NON_EMPTY
    }

    /** How a record is written; a record without it is written {@link Inclusion#NON_NULL}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    public @interface Include {
        Inclusion value();
    }

    private JsonText() {
    }

    /**
     * The document in {@code json}; an empty document reads as JSON {@code null}.
     *
     * @throws IllegalArgumentException when it is not JSON, saying where
     */
    public static JsonNode parse(InputStream json) {
        try {
            return PARSER.parse(json);
        } catch (UncheckedIOException e) {
            throw notJson(e);
        }
    }

    /** The document in {@code json}, see {@link #parse(InputStream)}. */
    public static JsonNode parse(String json) {
        try {
            return PARSER.parse(json);
        } catch (UncheckedIOException e) {
            throw notJson(e);
        }
    }

    /** The parser's own words, with the line and column but without the class name it prefixes. */
    private static IllegalArgumentException notJson(UncheckedIOException e) {
        String message = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
        String problem = message == null ? "unreadable" : message.split("\n at \\[Source: ")[0];
        String where = message == null || !message.contains("; line: ") ? ""
                : " at line " + message.replaceAll("(?s).*; line: (\\d+), column: (\\d+).*", "$1, column $2");
        return new IllegalArgumentException(problem + where, e);
    }

    /** The node at {@code path} under {@code root}, if every step of it is an object field and it is not null. */
    public static Optional<JsonNode> at(JsonNode root, String... path) {
        Optional<JsonNode> node = Optional.of(root);
        for (String field : path) {
            node = node.filter(JsonNode::isObject).flatMap(object -> object.field(field));
        }
        return node.filter(value -> !value.isNull());
    }

    /** The node at {@code path}, or JSON {@code null} when there is none. */
    public static JsonNode node(JsonNode root, String... path) {
        return at(root, path).orElse(NULL);
    }

    /** Whether a value other than {@code null} is at {@code path}. */
    public static boolean has(JsonNode root, String... path) {
        return at(root, path).isPresent();
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
     * Reads a record from a JSON object: each component from the field of its name, absent fields as null (or zero,
     * or false), unknown fields ignored. Components may be strings, whole numbers, booleans, enums (by name), lists,
     * maps with string keys, and records of the same kinds.
     *
     * @throws IllegalArgumentException naming the field whose value is of the wrong kind, or what the record refused
     */
    public static <T extends Record> T read(JsonNode node, Class<T> type) {
        return read(node, type, type.getSimpleName());
    }

    private static <T extends Record> T read(JsonNode node, Class<T> type, String where) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + " is " + node + ": expected a JSON object");
        }
        RecordComponent[] components = type.getRecordComponents();
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent component = components[i];
            JsonNode value = node.field(component.getName()).orElse(NULL);
            values[i] = value(value, component.getGenericType(), where + "." + component.getName());
        }
        try {
            Constructor<T> constructor = type.getDeclaredConstructor(
                    Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
            constructor.setAccessible(true);
            return constructor.newInstance(values);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException(where + " " + node + " is refused: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getName(), e);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object value(JsonNode node, Type type, String where) {
        Class<?> raw = type instanceof ParameterizedType parameterized ? (Class<?>) parameterized.getRawType()
                : (Class<?>) type;
        if (node.isNull()) {
            return raw == long.class ? 0L : raw == int.class ? 0 : raw == boolean.class ? false : null;
        }
        if (raw == String.class && (node.isString() || node.isNumber())) {
            return node.isString() ? node.asString() : node.asNumber();
        }
        if (raw == long.class || raw == Long.class || raw == int.class || raw == Integer.class) {
            String text = node.isNumber() ? node.asNumber() : node.isString() ? node.asString() : null;
            try {
                long number = new BigDecimal(text == null ? "x" : text).longValueExact();
                return raw == long.class || raw == Long.class ? number : Math.toIntExact(number);
            } catch (NumberFormatException | ArithmeticException e) {
                throw wrongKind(where, node, "a whole number");
            }
        }
        if (raw == boolean.class || raw == Boolean.class) {
            if (!node.isBoolean()) {
                throw wrongKind(where, node, "true or false");
            }
            return node.asBoolean();
        }
        if (raw.isEnum()) {
            Object[] constants = raw.getEnumConstants();
            for (Object constant : constants) {
                if (node.isString() && ((Enum<?>) constant).name().equals(node.asString())) {
                    return constant;
                }
            }
            throw wrongKind(where, node, "one of " + Arrays.toString(constants));
        }
        if (raw == List.class && node.isArray()) {
            Type item = ((ParameterizedType) type).getActualTypeArguments()[0];
            List<Object> items = new ArrayList<>();
            for (int i = 0; i < node.asArray().size(); i++) {
                items.add(value(node.asArray().get(i), item, where + "[" + i + "]"));
            }
            return items;
        }
        if (raw == Map.class && node.isObject()) {
            Type item = ((ParameterizedType) type).getActualTypeArguments()[1];
            Map<String, Object> entries = new LinkedHashMap<>();
            node.asObject().forEach((key, value) -> entries.put(key, value(value, item, where + "." + key)));
            return entries;
        }
        if (raw.isRecord()) {
            return read(node, (Class) raw, where);
        }
        throw wrongKind(where, node, raw == List.class ? "a JSON array" : raw == Map.class ? "a JSON object"
                : raw == String.class ? "a string" : "a " + raw.getSimpleName());
    }

    private static IllegalArgumentException wrongKind(String where, JsonNode node, String expected) {
        return new IllegalArgumentException(where + " is " + node + ": expected " + expected);
    }

    /**
     * Writes a value: strings, numbers, booleans, enums (by name), collections, maps and records (their components as
     * their {@link Include} says); anything else as its text.
     */
    public static byte[] write(Object value) {
        JsonWriter writer = JsonWriter.create();
        write(writer, value);
        return writer.getBytes();
    }

    /** {@link #write} as a string. */
    public static String toJson(Object value) {
        return new String(write(value), StandardCharsets.UTF_8);
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
        Include include = record.getClass().getAnnotation(Include.class);
        Inclusion inclusion = include == null ? Inclusion.NON_NULL : include.value();
        writer.writeStartObject();
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            Object item;
            try {
                component.getAccessor().setAccessible(true);
                item = component.getAccessor().invoke(record);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + component + " of " + record.getClass(), e);
            }
            if (written(item, inclusion)) {
                writer.writeFieldName(component.getName());
                write(writer, item);
            }
        }
        writer.writeEndObject();
    }

    private static boolean written(Object item, Inclusion inclusion) {
        return switch (inclusion) {
            case ALWAYS -> true;
            case NON_NULL -> item != null;
            case NON_EMPTY -> item != null && !(item instanceof String text && text.isEmpty())
                    && !(item instanceof Collection<?> items && items.isEmpty())
                    && !(item instanceof Map<?, ?> map && map.isEmpty());
        };
    }
}
