package io.personalizeimport.tests;

import io.personalizeimport.local.RepositoryRoot;
import io.personalizeimport.local.stack.LocalStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One local stack for the whole test JVM: starting it costs seconds, and tests keep to their own keys. Its S3
 * notifications are off: these tests deliver S3 events to the trigger themselves, to control duplicates and timing.
 */
final class SharedStack {

    /** Waits of 15 s take 150 ms; an emulated job spends 400 ms in each status, so a job sees several polls. */
    static final double TIME_SCALE = 0.01;
    static final long STEP_MILLIS = 400;

    private static LocalStack stack;

    private SharedStack() {
    }

    static synchronized LocalStack get() {
        if (stack == null) {
            stack = start(STEP_MILLIS, Duration.ofMinutes(10));
            Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "local-stack-shutdown"));
        }
        return stack;
    }

    static LocalStack start(long stepMillis, Duration deadline) {
        return start(LocalStack.builder().personalizeStepMillis(stepMillis).monitorDeadline(deadline));
    }

    static LocalStack start(LocalStack.Builder builder) {
        try {
            Path dataDir = Files.createTempDirectory("personalize-import-stack");
            return builder.root(repositoryRoot()).dataDir(dataDir).timeScale(TIME_SCALE).s3Notifications(false)
                    .build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path repositoryRoot() {
        return RepositoryRoot.find();
    }
}
