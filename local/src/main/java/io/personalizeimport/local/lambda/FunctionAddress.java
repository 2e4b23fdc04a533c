package io.personalizeimport.local.lambda;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The function an Invoke call names: Lambda accepts a name, {@code name:qualifier}, a partial ARN
 * {@code account:function:name} and a full ARN {@code arn:aws:lambda:region:account:function:name[:qualifier]}.
 */
record FunctionAddress(String name, String qualifier) {

    private static final Pattern FULL_ARN =
            Pattern.compile("arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\\d{12}:function:([^:]+)(?::([^:]+))?");
    private static final Pattern PARTIAL_ARN = Pattern.compile("\\d{12}:function:([^:]+)(?::([^:]+))?");
    private static final Pattern NAME = Pattern.compile("([^:]+)(?::([^:]+))?");

    /** Parses what the caller wrote; a qualifier given separately (the {@code Qualifier} query parameter) wins. */
    static FunctionAddress parse(String functionName, String explicitQualifier) {
        for (Pattern pattern : new Pattern[] {FULL_ARN, PARTIAL_ARN, NAME}) {
            Matcher matcher = pattern.matcher(functionName);
            if (matcher.matches()) {
                String qualifier = explicitQualifier != null && !explicitQualifier.isEmpty()
                        ? explicitQualifier
                        : matcher.group(2);
                return new FunctionAddress(matcher.group(1), qualifier);
            }
        }
        throw new IllegalArgumentException("Not a function name or ARN: " + functionName);
    }

    /** The ARN Lambda reports to the handler as the invoked one: qualified only when the caller qualified it. */
    String invokedArn(String unqualifiedArn) {
        return qualifier == null ? unqualifiedArn : unqualifiedArn + ":" + qualifier;
    }
}
