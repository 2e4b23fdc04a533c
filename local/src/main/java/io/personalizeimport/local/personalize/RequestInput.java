package io.personalizeimport.local.personalize;

import com.fasterxml.jackson.databind.JsonNode;
import io.personalizeimport.local.personalize.errors.InvalidInputException;
import io.personalizeimport.local.personalize.errors.SerializationException;
import io.personalizeimport.local.personalize.errors.TooManyTagsException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the members of one request body and collects every constraint violation, so a bad request is answered
 * with all its problems at once, in the "N validation errors detected" wording AWS services use.
 */
final class RequestInput {

    private static final int MAX_TAGS = 200;
    private static final int MAX_VALUE_SHOWN = 100;

    private final JsonNode body;
    private final List<String> violations = new ArrayList<>();

    RequestInput(JsonNode body) {
        this.body = body;
    }

    /** A required string member. */
    String required(String member, Shape shape) {
        String value = text(body, member, member);
        if (value == null) {
            violations.add("Value null at '" + member + "' failed to satisfy constraint: Member must not be null");
            return null;
        }
        return check(member, value, shape);
    }

    /** An optional string member; null when absent. */
    String optional(String member, Shape shape) {
        String value = text(body, member, member);
        return value == null ? null : check(member, value, shape);
    }

    /** A required string member of a required structure member, e.g. {@code dataSource.dataLocation}. */
    String requiredNested(String structure, String member, Shape shape) {
        JsonNode nested = body.get(structure);
        String path = structure + "." + member;
        if (nested == null || nested.isNull()) {
            violations.add("Value null at '" + structure + "' failed to satisfy constraint: Member must not be null");
            return null;
        }
        if (!nested.isObject()) {
            throw new SerializationException("Expected a JSON object for member '" + structure + "'");
        }
        String value = text(nested, member, path);
        if (value == null) {
            violations.add("Value null at '" + path + "' failed to satisfy constraint: Member must not be null");
            return null;
        }
        return check(path, value, shape);
    }

    /**
     * A string member inside required structure members, e.g. {@code jobOutput.s3DataDestination.path}; null when it
     * or a structure above it is absent (a violation if {@code required}).
     */
    String nested(Shape shape, boolean required, String... path) {
        JsonNode node = body;
        StringBuilder at = new StringBuilder();
        for (int i = 0; i < path.length - 1; i++) {
            at.append(i == 0 ? "" : ".").append(path[i]);
            node = node.get(path[i]);
            if (node == null || node.isNull()) {
                violations.add("Value null at '" + at + "' failed to satisfy constraint: Member must not be null");
                return null;
            }
            if (!node.isObject()) {
                throw new SerializationException("Expected a JSON object for member '" + at + "'");
            }
        }
        String member = path[path.length - 1];
        String where = at.isEmpty() ? member : at + "." + member;
        String value = text(node, member, where);
        if (value == null) {
            if (required) {
                violations.add("Value null at '" + where + "' failed to satisfy constraint: Member must not be null");
            }
            return null;
        }
        return check(where, value, shape);
    }

    /** An optional boolean member. */
    Boolean optionalBoolean(String member) {
        JsonNode node = body.get(member);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isBoolean()) {
            throw new SerializationException("Expected a boolean for member '" + member + "'");
        }
        return node.booleanValue();
    }

    /** An optional integer member within {@code min..max}. */
    Integer optionalInt(String member, int min, int max) {
        JsonNode node = body.get(member);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw new SerializationException("Expected an integer for member '" + member + "'");
        }
        int value = node.intValue();
        if (value < min) {
            violations.add("Value '" + value + "' at '" + member
                    + "' failed to satisfy constraint: Member must have value greater than or equal to " + min);
        } else if (value > max) {
            violations.add("Value '" + value + "' at '" + member
                    + "' failed to satisfy constraint: Member must have value less than or equal to " + max);
        }
        return value;
    }

    /** Checks the optional {@code tags} list: at most 200 tags, keys 1..128 and values 0..256 characters. */
    void tags() {
        JsonNode tags = body.get("tags");
        if (tags == null || tags.isNull()) {
            return;
        }
        if (!tags.isArray()) {
            throw new SerializationException("Expected a JSON array for member 'tags'");
        }
        if (tags.size() > MAX_TAGS) {
            throw new TooManyTagsException("A resource can have at most " + MAX_TAGS + " tags; the request has "
                    + tags.size());
        }
        for (int i = 0; i < tags.size(); i++) {
            JsonNode tag = tags.get(i);
            if (!tag.isObject()) {
                throw new SerializationException("Expected a JSON object for member 'tags." + (i + 1) + "'");
            }
            String prefix = "tags." + (i + 1) + ".member.";
            String key = text(tag, "tagKey", prefix + "tagKey");
            String value = text(tag, "tagValue", prefix + "tagValue");
            if (key == null) {
                violations.add("Value null at '" + prefix + "tagKey' failed to satisfy constraint: Member must not be null");
            } else {
                check(prefix + "tagKey", key, Shape.TAG_KEY);
            }
            if (value == null) {
                violations.add("Value null at '" + prefix + "tagValue' failed to satisfy constraint: Member must not be null");
            } else {
                check(prefix + "tagValue", value, Shape.TAG_VALUE);
            }
        }
    }

    /** Throws {@link InvalidInputException} listing every violation found so far. */
    void validate() {
        if (violations.isEmpty()) {
            return;
        }
        String count = violations.size() == 1 ? "1 validation error" : violations.size() + " validation errors";
        throw new InvalidInputException(count + " detected: " + String.join("; ", violations));
    }

    private String check(String path, String value, Shape shape) {
        String violation = shape.violation(value);
        if (violation != null) {
            violations.add("Value '" + shown(value) + "' at '" + path + "' failed to satisfy constraint: " + violation);
        }
        return value;
    }

    private static String shown(String value) {
        return value.length() <= MAX_VALUE_SHOWN ? value : value.substring(0, MAX_VALUE_SHOWN) + "...";
    }

    private static String text(JsonNode object, String member, String path) {
        JsonNode node = object.get(member);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new SerializationException("Expected a string for member '" + path + "'");
        }
        return node.textValue();
    }
}
