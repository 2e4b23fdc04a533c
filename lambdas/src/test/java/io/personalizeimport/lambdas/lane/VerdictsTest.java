package io.personalizeimport.lambdas.lane;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.personalizeimport.lambdas.lane.Ending.Task;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each way a task can fail, and the verdict operators see in the execution's Error. */
class VerdictsTest {

    @ParameterizedTest(name = "{0} in {1} -> {2}")
    @CsvSource({
            "io.personalizeimport.lambdas.errors.DatasetImportRejectedException, CREATE, DatasetImportRejected",
            "io.personalizeimport.lambdas.errors.InvalidImportRequestException, CREATE, DatasetImportRequestInvalid",
            "io.personalizeimport.lambdas.errors.InvalidImportRequestException, DESCRIBE, DatasetImportRequestInvalid",
            "io.personalizeimport.lambdas.errors.DatasetImportSupersededException, CREATE, DatasetImportSuperseded",
            "io.personalizeimport.lambdas.errors.DatasetImportJobNotFoundException, DESCRIBE, DatasetImportJobNotFound",
            "io.personalizeimport.lambdas.errors.MonitorDeadlineExceededException, DESCRIBE, DatasetImportMonitorTimedOut",
            "io.personalizeimport.lambdas.errors.ServiceRefusedException, CREATE, DatasetImportNotStarted",
            "io.personalizeimport.lambdas.errors.TransientServiceException, CREATE, DatasetImportNotStarted",
            "io.personalizeimport.lambdas.errors.DatasetBusyException, CREATE, DatasetImportNotStarted",
            "io.personalizeimport.lambdas.errors.ImportJobLimitExceededException, CREATE, DatasetImportNotStarted",
            "io.personalizeimport.lambdas.errors.ServiceRefusedException, DESCRIBE, DatasetImportMonitorFailed",
            "io.personalizeimport.lambdas.errors.TransientServiceException, DESCRIBE, DatasetImportMonitorFailed",
            "java.lang.IllegalStateException, CREATE, java.lang.IllegalStateException",
            "States.DataLimitExceeded, DESCRIBE, States.DataLimitExceeded"
    })
    void aTasksError_shouldBecomeItsNamedVerdict(String error, Task task, String verdict) {
        assertEquals(verdict, Verdicts.of(new Ending.TaskFailed(task, error, "why"), null).error());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"Lambda.Unknown", "Sandbox.Timedout", "Runtime.ExitError", "States.Timeout", "Lambda.ServiceException"})
    void aFunctionThatNeverAnswered_shouldBeNamedByItsTask(String error) {
        Release.Verdict create = Verdicts.of(new Ending.TaskFailed(Task.CREATE, error, null), null);
        Release.Verdict describe = Verdicts.of(new Ending.TaskFailed(Task.DESCRIBE, error, null), "arn:job");

        assertEquals("DatasetImportNotStarted", create.error());
        assertEquals("The create function failed on every attempt until the monitor deadline, last with " + error
                + "; no import job was started", create.cause());
        assertEquals("DatasetImportMonitorFailed", describe.error());
        assertEquals("The describe function failed on every attempt until the monitor deadline, last with " + error
                + "; the job may still finish: watch it again with its datasetImportJobArn arn:job", describe.cause());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"java.lang.IllegalStateException, why", "States.DataLimitExceeded, A task failed with States.DataLimitExceeded"})
    void anErrorNoTaskNames_shouldBeReportedAsItCame(String error, String cause) {
        assertEquals(cause, Verdicts.of(new Ending.TaskFailed(Task.CREATE, error, "why"), null).cause());
    }
}
