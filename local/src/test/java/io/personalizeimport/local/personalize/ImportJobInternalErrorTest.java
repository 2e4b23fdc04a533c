package io.personalizeimport.local.personalize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.personalize.model.DatasetImportJob;
import software.amazon.awssdk.services.personalize.model.ImportMode;

/**
 * Failures of the emulator itself while a job imports. No data can make the import throw an {@code Error} on demand,
 * and exhausting the heap or the stack for real would take the test JVM down with it, so the failure is thrown by a
 * reader wrapped around the real one through the emulator's package-private seam.
 */
class ImportJobInternalErrorTest {

    @TempDir
    Path root;
    private final AtomicReference<Throwable> nextFailure = new AtomicReference<>();
    private EmulatorHarness harness;

    @BeforeEach
    void start() {
        harness = new EmulatorHarness(root, null, 100, real -> (location, type, schema) -> {
            Throwable failure = nextFailure.getAndSet(null);
            if (failure instanceof Error error) {
                throw error;
            }
            if (failure instanceof RuntimeException bug) {
                throw bug;
            }
            return real.read(location, type, schema);
        });
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(new OutOfMemoryError("Java heap space"), "java.lang.OutOfMemoryError: Java heap space"),
                Arguments.of(new StackOverflowError(), "java.lang.StackOverflowError"),
                Arguments.of(new IllegalStateException("a bug"), "java.lang.IllegalStateException: a bug"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("failures")
    void failureInsideAnImport_shouldFailTheJobAndFreeTheDataset(Throwable failure, String described) {
        // GIVEN an interactions dataset, valid data, and the next read failing with the given throwable
        String datasetArn = harness.interactionsDataset("shop");
        String location = harness.putInteractions("day-1.csv", 1000);
        nextFailure.set(failure);

        // WHEN a job imports the data
        DatasetImportJob failed = harness.finalState(harness.startImport("day-1", datasetArn, location,
                ImportMode.FULL));

        // THEN the job ends CREATE FAILED with a reason naming the throwable, instead of staying in progress
        assertEquals("CREATE FAILED", failed.status());
        assertEquals("Internal error of the emulator while importing s3://imports/day-1.csv: " + described,
                failed.failureReason());

        // AND the dataset accepts the next import, which succeeds
        DatasetImportJob next = harness.finalState(harness.startImport("day-1-again", datasetArn, location,
                ImportMode.FULL));
        assertEquals("ACTIVE", next.status());
        assertEquals(1000, harness.emulator.recordCount(datasetArn));
    }
}
