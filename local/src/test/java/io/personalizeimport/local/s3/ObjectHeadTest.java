package io.personalizeimport.local.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.lambdas.aws.Preflight;
import io.personalizeimport.lambdas.lane.ObjectHead;
import io.personalizeimport.local.testing.SdkClients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The functions' one read of an object ({@link Preflight#head}: a ranged GET of its first bytes, with its version, eTag
 * and size) through the real S3 client against LocalS3. The lane tells an overwritten file by it, and the preflight
 * reads the header from it; no Personalize call is made, so the preflight gets no Personalize client.
 */
class ObjectHeadTest {

    private static final String BUCKET = "heads";

    @TempDir
    Path dataDir;
    private LocalS3 s3;
    private S3Client client;
    private Preflight preflight;

    @BeforeEach
    void start() {
        s3 = LocalS3.builder().dataDir(dataDir).build().start();
        s3.createBucket(BUCKET);
        client = SdkClients.s3(s3);
        preflight = new Preflight(client, null, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        client.close();
        s3.close();
    }

    private String put(String key, byte[] content) {
        return client.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(content)).eTag();
    }

    @Test
    void aSmallFile_shouldBeReadWholeWithItsETagAndSize() {
        byte[] csv = "USER_ID,AGE\nu1,30\n".getBytes(StandardCharsets.UTF_8);
        String eTag = put("users/small.csv", csv);

        ObjectHead head = preflight.head(BUCKET, "users/small.csv").orElseThrow();

        assertArrayEquals(csv, head.firstBytes());
        assertTrue(head.whole());
        assertEquals(csv.length, head.size());
        assertEquals(eTag, head.eTag());
        assertEquals("users/small.csv", head.object().key());
    }

    @Test
    void aLargeFile_shouldBeReadToItsFirst64KiBWithTheWholeSize() {
        byte[] large = new byte[200_000];
        Arrays.fill(large, (byte) 'x');
        put("users/large.csv", large);

        ObjectHead head = preflight.head(BUCKET, "users/large.csv").orElseThrow();

        assertEquals(64 * 1024, head.firstBytes().length);
        assertFalse(head.whole());
        assertEquals(200_000, head.size());
    }

    @Test
    void oneByte_shouldTellTheWriteAndTheSizeWithoutReadingTheFile() {
        byte[] large = new byte[200_000];
        Arrays.fill(large, (byte) 'y');
        String eTag = put("users/identity.csv", large);

        ObjectHead head = preflight.head(BUCKET, "users/identity.csv", 1).orElseThrow();

        assertEquals(1, head.firstBytes().length);
        assertFalse(head.whole());
        assertEquals(200_000, head.size());
        assertEquals(eTag, head.eTag());
        assertThrows(IllegalArgumentException.class, () -> preflight.head(BUCKET, "users/identity.csv", 0));
    }

    @Test
    void anEmptyObject_shouldReadAsEmpty() {
        put("users/empty.csv", new byte[0]);

        ObjectHead head = preflight.head(BUCKET, "users/empty.csv").orElseThrow();

        assertTrue(head.isEmpty());
        assertEquals(0, head.size());
    }

    @Test
    void aMissingObject_shouldReadAsNone() {
        assertEquals(Optional.empty(), preflight.head(BUCKET, "users/missing.csv"));
    }
}
