package io.personalizeimport.lambdas.lane;

import io.personalizeimport.lambdas.config.PipelineConfig;
import io.personalizeimport.lambdas.config.RouteTable;
import io.personalizeimport.lambdas.domain.MonitorInput;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * The lane's rules wired to in-memory ports, with the pipeline's three kinds of route: a FULL file route, a coalescing
 * INCREMENTAL route (which holds interactions files until they have Personalize's minimum of records), and a folder
 * route; and an INCREMENTAL interactions route that does not coalesce. Time moves only when a test moves it.
 */
final class LaneWorld {

    static final String BUCKET = "data-bucket";
    static final String ROLE = "arn:aws:iam::123456789012:role/PersonalizeImport";
    static final String USERS = "arn:aws:personalize:us-east-1:123456789012:dataset/shop/USERS";
    static final String EVENTS = "arn:aws:personalize:us-east-1:123456789012:dataset/shop/INTERACTIONS";
    static final String ITEMS = "arn:aws:personalize:us-east-1:123456789012:dataset/shop/ITEMS";
    static final String ROUTES = "[{\"name\":\"users\",\"prefix\":\"users/\",\"datasetArn\":\"" + USERS
            + "\",\"importMode\":\"FULL\"},"
            + "{\"name\":\"events\",\"prefix\":\"events/\",\"datasetArn\":\"" + EVENTS
            + "\",\"importMode\":\"INCREMENTAL\",\"coalesce\":true},"
            + "{\"name\":\"items\",\"prefix\":\"items/\",\"datasetArn\":\"" + ITEMS
            + "\",\"importMode\":\"FULL\",\"group\":\"folder\"},"
            + "{\"name\":\"clicks\",\"prefix\":\"clicks/\",\"datasetArn\":\"" + EVENTS
            + "\",\"importMode\":\"FULL\"},"
            + "{\"name\":\"people\",\"prefix\":\"people/\",\"datasetArn\":\"" + USERS
            + "\",\"importMode\":\"INCREMENTAL\"},"
            + "{\"name\":\"taps\",\"prefix\":\"taps/\",\"datasetArn\":\"" + EVENTS
            + "\",\"importMode\":\"INCREMENTAL\",\"coalesce\":false}]";
    /** The dataset group of the three datasets, and a route of lists of its users to delete. */
    static final String GROUP = "arn:aws:personalize:us-east-1:123456789012:dataset-group/shop";
    static final String FORGET = "{\"name\":\"forget\",\"prefix\":\"forget/\",\"action\":\"delete\","
            + "\"datasetGroupArn\":\"" + GROUP + "\"}";
    /** A folder route of users' exports, each folder imported whole when its _SUCCESS marker comes. */
    static final String EXPORTS = "{\"name\":\"exports\",\"prefix\":\"exports/\",\"datasetArn\":\"" + USERS
            + "\",\"importMode\":\"FULL\",\"group\":\"folder\",\"marker\":\"_SUCCESS\"}";
    static final String CSV = InMemoryImportJobs.HEADER + "\n1,2,1700000000\n";
    /** An interactions file that holds Personalize's minimum of records for one job on its own. */
    static final String ENOUGH = interactions((int) LanePlan.MIN_INTERACTIONS);

    final MovingClock clock = new MovingClock(Instant.parse("2026-12-01T10:00:00Z"));
    final InMemoryLedger ledger;
    final InMemoryObjects objects = new InMemoryObjects();
    final InMemoryImportJobs jobs = new InMemoryImportJobs();
    final InMemoryExecutions executions = new InMemoryExecutions();
    final InMemoryEvents events;
    final PipelineConfig config;
    final Lanes lanes;
    final Uploads uploads;
    final OperatorImports operatorImports;
    final Releases releases;
    final Endings endings;
    final Deletions deletions;
    final DeletionEnds deletionEnds;
    final InMemoryDeletionJobs deletionJobs = new InMemoryDeletionJobs(clock);
    private long sequencer = 0x100;

    LaneWorld() {
        this(true, Integer.MAX_VALUE);
    }

    LaneWorld(boolean preflight, int movedWithClaim) {
        this(preflight, movedWithClaim, BatchStaging.Limits.DEFAULT);
    }

    LaneWorld(boolean preflight, int movedWithClaim, BatchStaging.Limits stagingLimits) {
        this(preflight, movedWithClaim, stagingLimits, PipelineConfig.REGION_IMPORT_JOBS);
    }

    /** A world whose pipeline runs at most {@code maxImportJobs} import jobs at once. */
    LaneWorld(int maxImportJobs) {
        this(true, Integer.MAX_VALUE, BatchStaging.Limits.DEFAULT, maxImportJobs);
    }

    /**
     * A world whose routes also send lists of users to delete from the group, under {@code forget/}, and folders of
     * users under {@code exports/}.
     */
    static LaneWorld withDeletions() {
        return withDeletions(true);
    }

    /** A world with deletions whose preflight check is on or off, as the pipeline's PREFLIGHT setting says. */
    static LaneWorld withDeletions(boolean preflight) {
        return new LaneWorld(preflight, Integer.MAX_VALUE, BatchStaging.Limits.DEFAULT, PipelineConfig.REGION_IMPORT_JOBS,
                ROUTES.substring(0, ROUTES.length() - 1) + "," + EXPORTS + "," + FORGET + "]");
    }

    private LaneWorld(boolean preflight, int movedWithClaim, BatchStaging.Limits stagingLimits, int maxImportJobs) {
        this(preflight, movedWithClaim, stagingLimits, maxImportJobs, ROUTES);
    }

    private LaneWorld(boolean preflight, int movedWithClaim, BatchStaging.Limits stagingLimits, int maxImportJobs,
                      String routes) {
        ledger = new InMemoryLedger(movedWithClaim);
        events = new InMemoryEvents(ledger, clock);
        config = new PipelineConfig(BUCKET, RouteTable.parse(routes, ROLE), ROLE, preflight, "default",
                maxImportJobs);
        Uploads.Ports ports = new Uploads.Ports(ledger, ledger, objects, jobs, executions, events);
        Settlements settlements = new Settlements(ledger);
        lanes = new Lanes(config, ledger, ledger, objects, jobs, executions, settlements, clock);
        deletions = new Deletions(config, ledger, executions, deletionJobs, clock);
        uploads = new Uploads(config, ports, lanes, settlements, new DeletionUploads(ledger, objects, deletions,
                settlements, events));
        operatorImports = new OperatorImports(config, ports, ledger, lanes,
                new BatchStaging(objects, ledger, stagingLimits, clock), clock);
        releases = new Releases(config, ports, ledger, lanes, settlements, deletions, clock);
        deletionEnds = new DeletionEnds(ledger, ledger, lanes, deletions, executions, events, clock);
        endings = new Endings(releases, new Folders(ledger, ledger));
    }

    /** An interactions CSV of {@code rows} records. */
    static String interactions(int rows) {
        StringBuilder csv = new StringBuilder(InMemoryImportJobs.HEADER + "\n");
        for (int i = 0; i < rows; i++) {
            csv.append("u").append(i).append(",i").append(i % 7).append(",").append(1_700_000_000 + i).append("\n");
        }
        return csv.toString();
    }

    /** Writes the object and notifies it, as S3 does a moment later; returns what the lane made of it. */
    UploadResult upload(String key, String content) {
        return notify(written(key, content));
    }

    /** Writes the object; returns its notification, to be delivered when the test says. */
    Notification.Created written(String key, String content) {
        clock.advance(Duration.ofMillis(10));
        String eTag = objects.put(BUCKET, key, content);
        return new Notification.Created(BUCKET, key, null, eTag, content.length(),
                String.format("%016X", sequencer++), clock.instant());
    }

    /** Writes a list of users to delete under {@code forget/} and records it in the group's lane, as S3 tells of it. */
    FileEntry requestDeletion(String key, String userIds) {
        return recordDeletion(written(key, userIds));
    }

    /** Records a list of users to delete, written earlier, in the group's lane. */
    FileEntry recordDeletion(Notification.Created written) {
        String key = written.key();
        FileEntry entry = FileEntry.pending(LaneFile.deletion(config.routes().deletions().getFirst(),
                new io.personalizeimport.lambdas.domain.S3Object(BUCKET, key, null, written.eTag(), written.size()),
                written.sequencer(), written.eventTime()));
        ledger.record(entry, null);
        return entry;
    }

    UploadResult notify(Notification notification) {
        return uploads.accept(notification);
    }

    Lane lane(String datasetArn) {
        return ledger.lane(datasetArn);
    }

    /** The execution that holds the lane ends as its job did: it records the verdict and releases the lane. */
    Endings.Finished finish(String datasetArn, String jobStatus) {
        Lane.Running running = lane(datasetArn).running();
        MonitorInput.LaneImport input = ExecutionInputs.read(running.input());
        return endings.end(new Ending(running.executionName(), new Ending.JobEnded(jobStatus,
                "ACTIVE".equals(jobStatus) ? null : "Input CSV is missing the following columns: [TIMESTAMP]"),
                new Ending.LaneClaim(input.lane(), null, input.createRequest().jobName()),
                new Release.JobSeen(input.datasetImportJobArn(), input.createRequest().importMode().name(),
                        input.createRequest().dataLocation(), jobStatus, clock.instant().toString(),
                        clock.instant().plusSeconds(60).toString(), 3L)));
    }

    /** The execution that holds the group's deletion lane ends as its job did. */
    FileStatus finishDeletion(DeletionEnds.Verdict verdict) {
        Lane.Running running = lane(GROUP).running();
        return deletionEnds.end(running.executionName(), io.personalizeimport.lambdas.json.Json.read(running.input(),
                MonitorInput.LaneDeletion.class), verdict);
    }

    /** The execution that holds the lane ends with its describe task failed after its retries, as {@code error}. */
    Endings.Finished describeFailed(String datasetArn, String error, String cause) {
        Lane.Running running = lane(datasetArn).running();
        MonitorInput.LaneImport input = ExecutionInputs.read(running.input());
        return endings.end(new Ending(running.executionName(), new Ending.TaskFailed(Ending.Task.DESCRIBE, error,
                cause), new Ending.LaneClaim(input.lane(), null, input.createRequest().jobName()),
                new Release.JobSeen(input.datasetImportJobArn(), input.createRequest().importMode().name(),
                        input.createRequest().dataLocation(), "CREATE IN_PROGRESS", clock.instant().toString(), null,
                        900L)));
    }

    /** A clock the test moves. */
    static final class MovingClock extends Clock {

        private Instant now;

        MovingClock(Instant start) {
            this.now = start;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
