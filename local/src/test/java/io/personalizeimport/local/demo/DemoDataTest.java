package io.personalizeimport.local.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.local.RepositoryRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoDataTest {

    @Test
    void committedDemoFiles_shouldBeExactlyWhatTheSeededGeneratorWrites() throws IOException {
        Path committed = RepositoryRoot.find().resolve("local/demo/data");

        for (DemoData.DemoFile file : DemoData.files(DemoData.DEFAULT_SEED)) {
            assertEquals(file.content(), Files.readString(committed.resolve(file.key())),
                    () -> file.key() + " differs from the generator: run 'local/run generate-demo-data'");
        }
    }

    @Test
    void validInteractions_shouldMeetPersonalizesMinimumAndStayInTimeOrderWindow() {
        String interactions = DemoData.files(DemoData.DEFAULT_SEED).get(2).content();
        List<String> rows = interactions.lines().skip(1).toList();

        // Amazon Personalize Developer Guide, 'Amazon Personalize endpoints and quotas': at least 1000 interaction
        // records per import job
        assertTrue(rows.size() >= 1000, rows.size() + " rows");
        for (String row : rows) {
            long timestamp = Long.parseLong(row.split(",", -1)[2]);
            assertTrue(timestamp >= DemoData.START_EPOCH_SECONDS
                    && timestamp < DemoData.START_EPOCH_SECONDS + 31L * 86_400, row);
        }
    }

    @Test
    void sameSeed_shouldGiveSameFilesAndAnotherSeedOthers() {
        assertEquals(DemoData.files(7), DemoData.files(7));
        assertTrue(!DemoData.files(7).get(0).content().equals(DemoData.files(8).get(0).content()));
    }
}
