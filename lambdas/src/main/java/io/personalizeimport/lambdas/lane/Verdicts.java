package io.personalizeimport.lambdas.lane;

import io.personalizeimport.lambdas.lane.Ending.Task;
import io.personalizeimport.lambdas.lane.Ending.TaskFailed;
import io.personalizeimport.lambdas.lane.Release.Verdict;

/**
 * The verdict on an execution's import, named as operators see it in the execution's Error: DatasetImportJobFailed,
 * DatasetImportRejected, DatasetImportRequestInvalid, DatasetImportSuperseded, DatasetImportJobNotFound,
 * DatasetImportMonitorTimedOut, DatasetImportNotStarted, DatasetImportMonitorFailed
 * (docs/state-machine.md; what to do: docs/runbook.md).
 */
final class Verdicts {

    private static final String ERRORS = "io.personalizeimport.lambdas.errors.";

    private Verdicts() {
    }

    static Verdict of(Ending.JobEnded ended) {
        return "ACTIVE".equals(ended.status()) ? Verdict.imported()
                : new Verdict("DatasetImportJobFailed", ended.failureReason() == null ? "(no reason given)"
                        : ended.failureReason());
    }

    static Verdict of(Ending.Rejected rejected) {
        return new Verdict(Verdict.REJECTED, rejected.reason());
    }

    /** A batch that never ran: one file could not be staged; {@code files} is how many the batch had. */
    static Verdict of(Ending.Unstageable unstageable, int files) {
        if (BatchStaging.waitsForMore(unstageable)) {
            // No file is to blame: the batch's files wait in their lane for more interactions, as a held batch does.
            return Verdict.imported();
        }
        return new Verdict(Verdict.REJECTED, unstageable.reason() + "; " + unstageable.file() + " is REJECTED, no job was"
                + " created, and the batch's other " + (files - 1) + " files wait in the lane for its next import");
    }

    /**
     * A task that failed after its retries. The pipeline's own errors say what became of the import; a function that
     * crashed or timed out on every attempt is told apart by the task it ran; anything else is reported as it came.
     *
     * @param jobArn the job's ARN when the execution knows it, for the way to watch it again
     */
    static Verdict of(TaskFailed failed, String jobArn) {
        String error = failed.error() == null ? "States.Runtime" : failed.error();
        String cause = failed.cause() == null ? "(no cause)" : failed.cause();
        return switch (error.startsWith(ERRORS) ? error.substring(ERRORS.length()) : error) {
            case "DatasetImportRejectedException" -> new Verdict(Verdict.REJECTED, cause);
            case "InvalidImportRequestException" -> new Verdict("DatasetImportRequestInvalid", cause);
            case "DatasetImportSupersededException" -> new Verdict("DatasetImportSuperseded", cause);
            case "DatasetImportJobNotFoundException" -> new Verdict("DatasetImportJobNotFound", cause);
            case "MonitorDeadlineExceededException" -> new Verdict("DatasetImportMonitorTimedOut", cause);
            case "ServiceRefusedException", "TransientServiceException", "DatasetBusyException",
                 "ImportJobLimitExceededException" -> failed.task() == Task.CREATE
                    ? new Verdict("DatasetImportNotStarted", cause) : new Verdict("DatasetImportMonitorFailed", cause);
            default -> functionFailed(failed.task(), error, cause, jobArn);
        };
    }

    /**
     * Whether the import's job may still run although its execution's watch gave up: the watch reached its deadline, or
     * the describe task failed until then on errors that a later attempt could pass. A refusal ends the import.
     */
    static boolean jobMayStillRun(TaskFailed failed) {
        if (failed.task() != Task.DESCRIBE || failed.error() == null) {
            return false;
        }
        String error = failed.error().startsWith(ERRORS) ? failed.error().substring(ERRORS.length()) : failed.error();
        return error.equals("MonitorDeadlineExceededException") || error.equals("TransientServiceException")
                || isFunctionFailure(error);
    }

    /** The verdict on a data deletion whose job ended FAILED: DataDeletionJobFailed, with Personalize's reason. */
    static Verdict ofDeletion(Ending.JobEnded failed) {
        return new Verdict("DataDeletionJobFailed", failed.failureReason() == null
                ? "Personalize reported " + failed.status() + " without a reason" : failed.failureReason());
    }

    /**
     * The verdict on a data deletion whose create or describe task failed after its retries: DataDeletionRequestInvalid,
     * DataDeletionMonitorTimedOut, DataDeletionNotStarted or DataDeletionMonitorFailed, with the task's cause.
     */
    static Verdict ofDeletion(TaskFailed failed) {
        String error = failed.error() == null ? "" : failed.error().startsWith(ERRORS)
                ? failed.error().substring(ERRORS.length()) : failed.error();
        String cause = failed.cause() != null && !isFunctionFailure(error) ? failed.cause()
                : "The " + failed.task().name().toLowerCase(java.util.Locale.ROOT) + " function failed on every"
                        + " attempt until the monitor deadline, last with " + error;
        return switch (error) {
            case "InvalidImportRequestException" -> new Verdict("DataDeletionRequestInvalid", cause);
            case "MonitorDeadlineExceededException" -> new Verdict("DataDeletionMonitorTimedOut", cause);
            default -> failed.task() == Task.CREATE ? new Verdict("DataDeletionNotStarted", cause)
                    : new Verdict("DataDeletionMonitorFailed", cause);
        };
    }

    /** A function that crashed or timed out, or an error no task names. */
    private static Verdict functionFailed(Task task, String error, String cause, String jobArn) {
        if (!isFunctionFailure(error)) {
            boolean java = error.startsWith("java.") || error.startsWith("io.personalizeimport.");
            return new Verdict(error, java ? cause : "A task failed with " + error);
        }
        return task == Task.CREATE
                ? new Verdict("DatasetImportNotStarted", "The create function failed on every attempt until the"
                        + " monitor deadline, last with " + error + "; no import job was started")
                : new Verdict("DatasetImportMonitorFailed", "The describe function failed on every attempt until the"
                        + " monitor deadline, last with " + error + "; the job may still finish: watch it again with"
                        + " its datasetImportJobArn " + jobArn);
    }

    /** The errors of a function that did not answer: Lambda's own, a crash, a timeout (FACTS: Step Functions). */
    private static boolean isFunctionFailure(String error) {
        return error.startsWith("Lambda.") || error.startsWith("Sandbox.") || error.startsWith("Runtime.")
                || error.equals("States.Timeout");
    }
}
