package io.personalizeimport.local.cli;

import io.personalizeimport.lambdas.aws.StateMachineExecutions;
import io.personalizeimport.lambdas.lane.FileStatus;
import io.personalizeimport.local.ledger.LedgerFile;
import io.personalizeimport.local.progress.FileProgress;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;

/** A file's progress as the files view of the import ledger and the execution of its job tell it. */
final class LedgerProgress {

    /** Before the ledger holds a file: it was uploaded, and its S3 notification has not reached the trigger yet. */
    static final String UPLOADED = "UPLOADED";

    private LedgerProgress() {
    }

    /**
     * The progress of {@code key}: from {@code file}, its newest item in the ledger (null while it has none: then
     * {@code datasetArn} and {@code uploaded}, a note on the upload, describe it), and from its job's execution: where
     * it is while it runs, how many polls it made.
     */
    static FileProgress of(String key, String datasetArn, String uploaded, LedgerFile file, SfnClient sfn,
                           String stateMachineArn) {
        if (file == null) {
            return new FileProgress(key, ExecutionView.datasetName(datasetArn), UPLOADED, null, 0, uploaded);
        }
        FileStatus status = FileStatus.valueOf(file.status());
        String dataset = ExecutionView.datasetName(file.datasetArn());
        if (file.jobName() == null) {
            return new FileProgress(key, dataset, file.status(), null, 0, detail(file));
        }
        ExecutionView execution = execution(sfn, StateMachineExecutions.executionArn(stateMachineArn, file.jobName()));
        int polls = execution == null ? 0 : execution.polls();
        if (status.isFinal()) {
            return new FileProgress(key, dataset, file.status(), file.jobName(), polls, detail(file));
        }
        return new FileProgress(key, dataset, file.status(), file.jobName(), polls,
                execution == null ? "starting its execution" : where(execution));
    }

    /** An execution's progress as its file's line says it: the state it is in, and the job's status. */
    static String where(ExecutionView execution) {
        String state = execution.state() == null ? execution.status() : execution.state();
        return execution.jobStatus() == null ? state : state + ", " + execution.jobStatus();
    }

    /** What a held file waits for, the newer file that replaced it, or why it was rejected or failed. */
    private static String detail(LedgerFile file) {
        if (file.waiting() != null) {
            return file.waiting();
        }
        if (file.supersededBy() != null) {
            return "superseded by " + file.supersededBy();
        }
        if (file.reason() != null) {
            return file.reason();
        }
        return "PENDING".equals(file.status()) ? "waiting for its turn in the lane" : "";
    }

    /** The execution's view, or null when the lane named the job and has not started its execution yet. */
    private static ExecutionView execution(SfnClient sfn, String executionArn) {
        try {
            return ExecutionView.read(sfn, executionArn);
        } catch (ExecutionDoesNotExistException notYet) {
            return null;
        }
    }
}
