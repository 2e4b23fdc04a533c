package io.personalizeimport.lambdas.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;

/**
 * The functions' one Jackson mapper: records read and written by their components, null components left out (a type
 * may say otherwise with {@link JsonInclude}), unknown fields ignored on read, instants as ISO-8601 text.
 */
public final class Json {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL,
                    JsonInclude.Include.USE_DEFAULTS))
            // The state machine, the trigger and operators add fields a reader does not need.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // A count or a number of seconds is whole: 1.5 is a mistake, not 1.
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            // The Lambda runtime owns the handler's output stream.
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .build();

    private Json() {
    }

    /** The mapper itself, for what the methods below do not cover. */
    public static JsonMapper mapper() {
        return MAPPER;
    }

    /**
     * Reads a value of {@code type} from JSON text.
     *
     * @throws IllegalArgumentException when the text is not JSON, or names the field that does not fit the type and
     *     what it expected
     */
    public static <T> T read(String json, Class<T> type) {
        try {
            return read(MAPPER.createParser(json), type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the JSON of a " + type.getSimpleName(), e);
        }
    }

    /** Reads a value of {@code type} from a stream of JSON, see {@link #read(String, Class)}. */
    public static <T> T read(InputStream json, Class<T> type) {
        try {
            return read(MAPPER.createParser(json), type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the JSON of a " + type.getSimpleName(), e);
        }
    }

    /** Reads a value of {@code type} from a parsed document, see {@link #read(String, Class)}. */
    public static <T> T read(JsonNode json, Class<T> type) {
        return read(MAPPER.treeAsTokens(json), type);
    }

    /** Reads with the parser still open, so that an error can tell what the parser stood on. */
    private static <T> T read(JsonParser parser, Class<T> type) {
        try (parser) {
            try {
                return MAPPER.readValue(parser, type);
            } catch (JacksonException e) {
                throw unreadable(e, parser, type);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the JSON of a " + type.getSimpleName(), e);
        }
    }

    /**
     * The document in {@code json}; an empty text reads as a missing node.
     *
     * @throws IllegalArgumentException when it is not JSON, saying where
     */
    public static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw unreadable(e, null, JsonNode.class);
        }
    }

    /** {@code value} as JSON text. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a " + value.getClass().getName() + " as JSON", e);
        }
    }

    /** Writes {@code value} as JSON to {@code output}, which stays open. */
    public static void write(OutputStream output, Object value) {
        try {
            MAPPER.writeValue(output, value);
        } catch (JacksonException e) {
            throw new IllegalStateException("cannot write a " + value.getClass().getName() + " as JSON", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** Jackson's error as one sentence: where in the document, what is there, and what the type expected there. */
    private static IllegalArgumentException unreadable(JacksonException e, JsonParser parser, Class<?> type) {
        String what = type.getSimpleName();
        return switch (e) {
            case ValueInstantiationException refused -> new IllegalArgumentException(what + " at " + path(refused)
                    + " is refused: " + (refused.getCause() == null ? refused.getOriginalMessage()
                    : refused.getCause().getMessage()), e);
            case InvalidFormatException format -> new IllegalArgumentException(what + " field " + path(format) + " is "
                    + quoted(format.getValue()) + ": expected " + expected(format.getTargetType()), e);
            case MismatchedInputException mismatch when found(parser) == null -> new IllegalArgumentException(
                    what + " is missing: the JSON is empty, expected " + expected(type), e);
            case MismatchedInputException mismatch -> new IllegalArgumentException(what + " field " + path(mismatch)
                    + " is " + found(parser) + ": expected " + expected(mismatch.getTargetType()), e);
            case JsonMappingException mapping -> new IllegalArgumentException(what + " field " + path(mapping)
                    + " cannot be read: " + mapping.getOriginalMessage(), e);
            default -> new IllegalArgumentException(what + " is not JSON: " + e.getOriginalMessage() + at(e), e);
        };
    }

    /** The JSONPath of the failing value, such as {@code $.input.files[2].key}. */
    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder("$");
        for (JsonMappingException.Reference step : e.getPath()) {
            if (step.getFieldName() != null) {
                path.append('.').append(step.getFieldName());
            } else if (step.getIndex() >= 0) {
                path.append('[').append(step.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** What the parser stood on when the value did not fit, or null at the end of the input. */
    private static String found(JsonParser parser) {
        if (parser == null || parser.currentToken() == null) {
            return null;
        }
        JsonToken token = parser.currentToken();
        try {
            return switch (token) {
                case START_OBJECT, FIELD_NAME -> "an object";
                case START_ARRAY -> "an array";
                case VALUE_STRING -> quoted(parser.getText());
                case VALUE_NULL -> "null";
                default -> parser.getText();
            };
        } catch (IOException unreadable) {
            return token.asString();
        }
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "another kind of value";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == long.class || type == Long.class || type == int.class || type == Integer.class) {
            return "a whole number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.toString(type.getEnumConstants());
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type) || JsonNode.class.isAssignableFrom(type)) {
            return "an object";
        }
        return "an object (" + type.getSimpleName() + ")";
    }

    private static String quoted(Object value) {
        return value instanceof String text ? "\"" + text + "\"" : String.valueOf(value);
    }

    private static String at(JacksonException e) {
        JsonLocation location = e.getLocation();
        return location == null || location.getLineNr() < 1 ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }
}
