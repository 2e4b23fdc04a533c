package io.personalizeimport.lambdas.lane;

import io.personalizeimport.lambdas.domain.MonitorInput.LaneTicket;

/**
 * What the state machine's last task reports of an execution that held (or asked for) a lane.
 *
 * @param ticket the lane the import held and its files; null when the execution ended before it was handed one
 * @param asked the dataset an operator's input named, directly or by its key; used only when there is no ticket
 * @param jobName the import's job; null when none was planned
 * @param job the job as the describe task last saw it; null when it never did
 */
public record Release(String executionName, LaneTicket ticket, Asked asked, String jobName, Verdict verdict,
                      JobSeen job) {

    /** The dataset or key an operator's input named; either may be null. */
    public record Asked(String datasetArn, String key) {
    }

    /**
     * The execution's verdict on its import.
     *
     * @param error the error the execution ended with; null when the job ended ACTIVE
     * @param cause why, in words
     */
    public record Verdict(String error, String cause) {

        /** The error of a file the preflight check refused. */
        public static final String REJECTED = "DatasetImportRejected";

        public static Verdict imported() {
            return new Verdict(null, null);
        }

        public boolean isImported() {
            return error == null;
        }
    }

    /**
     * The import job as the execution last saw it, and what it asked for; fields it never learned are null.
     *
     * @param polls how many times the describe task asked for it
     */
    public record JobSeen(String jobArn, String importMode, String dataLocation, String status, String createdAt,
                          String endedAt, Long polls) {

        /** A job the execution never saw. */
        public static final JobSeen NONE = new JobSeen(null, null, null, null, null, null, null);
    }
}
