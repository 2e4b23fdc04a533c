package io.personalizeimport.infra;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * CloudFormation logical IDs as CDK makes them from a construct path: the path's ids without non-alphanumerics, then the
 * first 8 hex digits of the MD5 of the path (aws-cdk-lib, core/lib/private/uniqueid.ts, makeUniqueId). CDK cannot
 * change this rule without replacing the resources of every deployed app, so the stack may rely on it.
 */
final class LogicalIds {

    /** A path component left out of the ID altogether. */
    private static final String HIDDEN = "Default";
    /** A path component left out of the readable part only. */
    private static final String HIDDEN_FROM_HUMAN = "Resource";
    private static final int MAX_HUMAN_LENGTH = 240;
    private static final int MAX_ID_LENGTH = 255;

    private LogicalIds() {
    }

    /** The logical ID of the element whose path below its stack is {@code components}. */
    static String of(List<String> components) {
        List<String> path = components.stream().filter(component -> !component.equals(HIDDEN)).toList();
        if (path.isEmpty()) {
            throw new IllegalArgumentException("A logical ID needs a path of at least one component other than "
                    + HIDDEN + ": got " + components);
        }
        if (path.size() == 1) {
            String candidate = alphanumeric(path.get(0));
            if (candidate.length() <= MAX_ID_LENGTH) {
                return candidate;
            }
        }
        StringBuilder human = new StringBuilder();
        for (String component : withoutRepeats(path)) {
            if (!component.equals(HIDDEN_FROM_HUMAN)) {
                human.append(alphanumeric(component));
            }
        }
        return human.substring(0, Math.min(human.length(), MAX_HUMAN_LENGTH)) + hash(path);
    }

    /** A component that ends the one before it adds nothing readable: Bucket/Bucket reads as Bucket. */
    private static List<String> withoutRepeats(List<String> path) {
        List<String> kept = new ArrayList<>();
        for (String component : path) {
            if (kept.isEmpty() || !kept.get(kept.size() - 1).endsWith(component)) {
                kept.add(component);
            }
        }
        return kept;
    }

    private static String alphanumeric(String component) {
        return component.replaceAll("[^A-Za-z0-9]", "");
    }

    private static String hash(List<String> path) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5")
                    .digest(String.join("/", path).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 8).toUpperCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has MD5 (MessageDigest)", e);
        }
    }
}
