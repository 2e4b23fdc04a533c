package io.personalizeimport.lambdas.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JobNamesTest {

    /**
     * Personalize's jobName rule (Amazon Personalize API Reference, CreateDatasetImportJob); Step Functions' execution
     * names allow a superset of it.
     */
    private static final Pattern VALID = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9\\-_]*$");

    @ParameterizedTest
    @ValueSource(strings = {
        "interactions/2026-11-23.csv",
        "interactions/with space+plus%percent.csv",
        "interactions/ünïcødé données 日本語.csv",
        "interactions/.csv",
        "interactions/___---.csv",
        "interactions/a/b/c/d/e/f/g/very-long-folder/"
            + "an-extremely-long-file-name-that-goes-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on.csv",
        "interactions/emoji-😀-file.csv",
        "interactions/-leading-dash.CSV"
    })
    void anyKey_shouldGiveAValidName(String key) {
        // GIVEN an object whose key holds awkward characters or lengths
        S3Object object = new S3Object("bucket", key, null, "\"etag\"", 10);

        // WHEN it is named
        String name = JobNames.forObject("interactions", object);

        // THEN the name is within Personalize's rule
        assertTrue(name.length() >= 1 && name.length() <= 63, () -> name + " has length " + name.length());
        assertTrue(VALID.matcher(name).matches(), () -> name + " breaks the jobName pattern");
    }

    @Test
    void readableKey_shouldKeepRouteAndStem() {
        S3Object object = new S3Object("bucket", "interactions/Daily Export.csv", "v1", null, 10);

        String name = JobNames.forObject("interactions", object);

        assertTrue(name.matches("interactions-Daily_Export-[0-9a-f]{16}"), name);
    }

    @Test
    void sameObjectTwice_shouldGetTheSameName() {
        S3Object first = new S3Object("bucket", "users/u.csv", "3HL4kqtJlcpXroDTDmJ", "\"abc\"", 10);
        S3Object again = new S3Object("bucket", "users/u.csv", "3HL4kqtJlcpXroDTDmJ", "\"abc\"", 10);

        assertEquals(JobNames.forObject("users", first), JobNames.forObject("users", again));
    }

    @Test
    void differentWritesOfOneKey_shouldGetDifferentNames() {
        S3Object v1 = new S3Object("bucket", "users/u.csv", "version-1", null, 10);
        S3Object v2 = new S3Object("bucket", "users/u.csv", "version-2", null, 10);
        S3Object otherBucket = new S3Object("other", "users/u.csv", "version-1", null, 10);

        assertNotEquals(JobNames.forObject("users", v1), JobNames.forObject("users", v2));
        assertNotEquals(JobNames.forObject("users", v1), JobNames.forObject("users", otherBucket));
    }

    @Test
    void keysThatSanitizeAlike_shouldStillDiffer() {
        // "a b.csv" and "a+b.csv" both sanitize to "a_b"; the hash of the real key keeps them apart
        Set<String> names = new HashSet<>();
        for (String key : new String[] {"items/a b.csv", "items/a+b.csv", "items/a%b.csv", "items/a_b.csv"}) {
            names.add(JobNames.forObject("items", new S3Object("bucket", key, null, "\"e\"", 1)));
        }
        assertEquals(4, names.size(), names::toString);
    }

    @Test
    void operatorRequest_shouldDependOnExecutionName() {
        String a = JobNames.forRequest("console", "s3://b/folder/", "arn:aws:personalize:us-east-1:1:dataset/g/ITEMS", "run-1");
        String b = JobNames.forRequest("console", "s3://b/folder/", "arn:aws:personalize:us-east-1:1:dataset/g/ITEMS", "run-2");

        assertTrue(a.startsWith("console-folder-"), a);
        assertNotEquals(a, b);
    }
}
