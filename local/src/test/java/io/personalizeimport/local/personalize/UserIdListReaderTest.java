package io.personalizeimport.local.personalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.personalizeimport.local.s3.LocalS3;
import io.personalizeimport.local.testing.SdkClients;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Reading a data deletion job's users from LocalS3: a file or a folder, within the size limit of all its files. */
class UserIdListReaderTest {

    @TempDir
    Path root;
    private LocalS3 s3;
    private S3Client client;

    @BeforeEach
    void start() {
        s3 = LocalS3.builder().dataDir(root).build().start();
        s3.createBucket("deletions");
        client = SdkClients.s3(s3);
    }

    @AfterEach
    void stop() {
        client.close();
        s3.close();
    }

    @Test
    void folder_shouldReadTheUsersOfEveryCsvFileInIt() throws Exception {
        put("forget/a.csv", "USER_ID,REASON\nu1,asked\n\"u,2\",asked\n");
        put("forget/b.csv", "USER_ID\nu1\nu3\n");
        put("forget/notes.txt", "USER_ID\nnot-a-user\n");

        Set<String> users = new UserIdListReader(client).read("s3://deletions/forget/");

        assertEquals(List.of("u1", "u,2", "u3"), List.copyOf(users));
    }

    @Test
    void filesLargerThanTheLimitInAll_shouldFailBeforeAnyIsRead() {
        // GIVEN two files of 14 bytes each and a limit of 27 bytes
        put("big/a.csv", "USER_ID\nu1\nu2\n");
        put("big/b.csv", "USER_ID\nu3\nu4\n");
        UserIdListReader reader = new UserIdListReader(client, 27);

        // WHEN read THEN the reason names the size, the limit and what to do
        ImportFailedException failure = assertThrows(ImportFailedException.class,
                () -> reader.read("s3://deletions/big/"));
        assertEquals("The data deletion input at s3://deletions/big/ is 28 bytes, more than the limit of 27 bytes for"
                + " the files of one data deletion job: split the users over several jobs", failure.getMessage());
    }

    @Test
    void fileAtTheLimit_shouldBeRead() throws Exception {
        put("one.csv", "USER_ID\nu1\nu2\n");

        assertEquals(Set.of("u1", "u2"), new UserIdListReader(client, 14).read("s3://deletions/one.csv"));
    }

    private void put(String key, String content) {
        client.putObject(b -> b.bucket("deletions").key(key), RequestBody.fromString(content));
    }
}
