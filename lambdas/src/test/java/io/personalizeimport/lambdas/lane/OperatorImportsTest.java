package io.personalizeimport.lambdas.lane;

import static io.personalizeimport.lambdas.lane.LaneWorld.BUCKET;
import static io.personalizeimport.lambdas.lane.LaneWorld.CSV;
import static io.personalizeimport.lambdas.lane.LaneWorld.ROLE;
import static io.personalizeimport.lambdas.lane.LaneWorld.USERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.lambdas.config.ImportMode;
import io.personalizeimport.lambdas.domain.ImportOutcome;
import io.personalizeimport.lambdas.domain.MonitorInput;
import io.personalizeimport.lambdas.errors.DatasetBusyException;
import io.personalizeimport.lambdas.errors.DatasetImportRejectedException;
import io.personalizeimport.lambdas.errors.DatasetImportSupersededException;
import io.personalizeimport.lambdas.errors.ImportJobLimitExceededException;
import io.personalizeimport.lambdas.errors.InvalidImportRequestException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An operator's import by hand: confined to the routes, placed in its lane like an upload. */
class OperatorImportsTest {

    private final LaneWorld world = new LaneWorld();

    /** Places the request; the create task's result must be of the form expected. */
    private <T extends MonitorInput> T place(OperatorRequest request, Class<T> form) {
        return assertInstanceOf(form, world.operatorImports.place(request, "console-run",
                Instant.parse("2026-12-01T11:00:00Z")));
    }

    @Test
    void aFileOnAFreeLane_shouldBeImportedByTheOperatorsExecution() {
        world.objects.put(BUCKET, "users/a.csv", CSV);

        MonitorInput.LaneImport input = place(new OperatorRequest.ForObject(BUCKET, "users/a.csv"),
                MonitorInput.LaneImport.class);

        assertNotNull(input.datasetImportJobArn());
        assertEquals(List.of(input.createRequest().jobName()), world.jobs.jobNames());
        assertEquals("console-run", world.lane(USERS).running().executionName());
        assertTrue(world.executions.names().isEmpty(), "the operator's own execution runs it");
        assertEquals(List.of("users/a.csv"), input.lane().files());
    }

    @Test
    void aFileOnABusyLane_shouldWaitAndSayBehindWhat() {
        UploadResult running = world.upload("users/a.csv", CSV);
        world.objects.put(BUCKET, "users/b.csv", CSV);

        MonitorInput.QueuedImport input = place(new OperatorRequest.ForObject(BUCKET, "users/b.csv"),
                MonitorInput.QueuedImport.class);

        assertEquals(running.jobName(), input.queued().behind());
        assertEquals("the import " + running.jobName() + " that holds the lane", input.queued().waitingFor());
        assertEquals(List.of("users/a.csv=IMPORTING", "users/b.csv=PENDING"), world.ledger.statuses(USERS));
    }

    @Test
    void aFileOnAFreeLaneOfAFullRegion_shouldWaitInLineAndSaySo() {
        // GIVEN a pipeline that runs one import job at a time, running one on another dataset
        LaneWorld oneSlot = new LaneWorld(1);
        oneSlot.upload("clicks/all.csv", LaneWorld.ENOUGH);
        oneSlot.objects.put(BUCKET, "users/b.csv", CSV);

        // WHEN an operator imports a users file
        MonitorInput.QueuedImport input = assertInstanceOf(MonitorInput.QueuedImport.class, oneSlot.operatorImports
                .place(new OperatorRequest.ForObject(BUCKET, "users/b.csv"), "console-run",
                        Instant.parse("2026-12-01T11:00:00Z")));

        // THEN it waits in line for the slot, behind no job of its own lane, and no second job runs
        assertEquals(null, input.queued().behind());
        assertEquals("waiting for an import slot of the region: 1st in line, 1 of 1 in use",
                input.queued().waitingFor());
        assertFalse(oneSlot.lane(USERS).isBusy());
        assertEquals(1, oneSlot.jobs.jobNames().size());
    }

    @Test
    void aRequestOlderThanTheDatasetsLastFullImport_shouldBeSupersededAtOnce() {
        world.objects.put(BUCKET, "users/old.csv", CSV);
        world.upload("users/new.csv", CSV);
        world.finish(USERS, "ACTIVE");

        DatasetImportSupersededException e = assertThrows(DatasetImportSupersededException.class,
                () -> world.operatorImports.place(new OperatorRequest.ForObject(BUCKET, "users/old.csv"), "console-old",
                        Instant.parse("2026-12-01T09:00:00Z")));

        assertTrue(e.getMessage().contains("was superseded in the lane of " + USERS + " by users/new.csv"),
                e.getMessage());
    }

    @Test
    void aLocationIntoARoutesDataset_shouldImportWithTheRoutesRoleAndTheModeAsked() {
        MonitorInput.LaneImport input = place(new OperatorRequest.ForLocation("s3://" + BUCKET + "/users/2026/",
                USERS, null, "INCREMENTAL", "users-backfill"), MonitorInput.LaneImport.class);

        assertEquals("users-backfill", input.createRequest().jobName());
        assertEquals(ROLE, input.createRequest().roleArn());
        assertEquals(ImportMode.INCREMENTAL, input.createRequest().importMode());
    }

    @Test
    void aJobNameAnEarlierImportTook_shouldFailNamingTheOldJobItsCreationAndWhatToDo() {
        // GIVEN a job named by hand that an earlier import of the same location created a day before
        OperatorRequest.ForLocation request = new OperatorRequest.ForLocation("s3://" + BUCKET + "/users/2026/",
                USERS, null, "INCREMENTAL", "daily");
        world.jobs.creatingAt(world.clock.instant().minus(java.time.Duration.ofDays(1)));
        world.jobs.start(world.operatorImports.resolve(request, "yesterday").request(), null, null);
        world.jobs.creatingAt(world.clock.instant());

        // WHEN an operator starts the same import again today
        InvalidImportRequestException e = assertThrows(InvalidImportRequestException.class,
                () -> world.operatorImports.place(request, "console-today", world.clock.instant()));

        // THEN the old job's verdict is not taken for this one's
        assertTrue(e.getMessage().startsWith("Import job daily already exists: Personalize created it at "
                + world.clock.instant().minus(java.time.Duration.ofDays(1)) + ", before this import claimed its lane"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("or watch that job with {\"datasetImportJobArn\":\""
                + "arn:aws:personalize:us-east-1:123456789012:dataset-import-job/daily\"}"), e.getMessage());
    }

    @Test
    void theSameImportsRetriedCreation_shouldTakeTheJobItCreated() {
        OperatorRequest.ForLocation request = new OperatorRequest.ForLocation("s3://" + BUCKET + "/users/2026/",
                USERS, null, "INCREMENTAL", "daily");
        MonitorInput.LaneImport first = place(request, MonitorInput.LaneImport.class);

        MonitorInput.LaneImport retried = world.operatorImports.create(first.createRequest(), first.source(),
                first.lane(), null);

        assertEquals(first.datasetImportJobArn(), retried.datasetImportJobArn());
        assertEquals(List.of("daily"), world.jobs.jobNames());
    }

    @Test
    void requestsOutsideTheRoutes_shouldBeRefusedSayingWhatIsAllowed() {
        assertRefused("Bucket 'other' is not the pipeline's bucket: expected " + BUCKET,
                new OperatorRequest.ForObject("other", "users/a.csv"));
        assertRefused("Key 'other/a.csv' matches no route: expected a key under one of [users/, events/, items/, clicks/, people/, taps/]",
                new OperatorRequest.ForObject(BUCKET, "other/a.csv"));
        assertRefused("Key 'users/a.txt' does not name a CSV file",
                new OperatorRequest.ForObject(BUCKET, "users/a.txt"));
        assertRefused("Object s3://" + BUCKET + "/users/missing.csv does not exist",
                new OperatorRequest.ForObject(BUCKET, "users/missing.csv"));
        assertRefused("names a bucket or a key but not both", new OperatorRequest.ForObject(null, "users/a.csv"));
        assertRefused("is not allowed: a console import must read from under a routed prefix into that route's dataset",
                new OperatorRequest.ForLocation("s3://" + BUCKET + "/events/", USERS, null, null, null));
        assertRefused("roleArn 'arn:aws:iam::123456789012:role/Other' is not the role of route 'users'",
                new OperatorRequest.ForLocation("s3://" + BUCKET + "/users/", USERS,
                        "arn:aws:iam::123456789012:role/Other", null, null));
        assertRefused("importMode is 'SOME': expected FULL or INCREMENTAL",
                new OperatorRequest.ForLocation("s3://" + BUCKET + "/users/", USERS, null, "SOME", null));
        assertRefused("jobName 'bad name' does not match",
                new OperatorRequest.ForLocation("s3://" + BUCKET + "/users/", USERS, null, null, "bad name"));
        assertRefused("needs both dataLocation and datasetArn",
                new OperatorRequest.ForLocation(null, USERS, null, null, null));
        assertTrue(world.ledger.files(USERS).isEmpty(), "nothing refused is recorded");
    }

    private void assertRefused(String message, OperatorRequest request) {
        InvalidImportRequestException e = assertThrows(InvalidImportRequestException.class,
                () -> place(request, MonitorInput.class));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void aQueuedImport_shouldBeCreatedAsPlannedOrSayWhyNot() {
        world.objects.put(BUCKET, "users/a.csv", CSV);
        world.objects.put(BUCKET, "users/bad.csv", "USER\n1\n");
        var request = new io.personalizeimport.lambdas.domain.ImportRequest("users-a", USERS, "s3://" + BUCKET
                + "/users/a.csv", ROLE, ImportMode.FULL, null, null);

        assertEquals(request.jobArn(), world.operatorImports.create(request, null, null, null).datasetImportJobArn());
        world.jobs.refuse(ImportOutcome.Reason.DATASET_BUSY);
        assertThrows(DatasetBusyException.class, () -> world.operatorImports.create(request, null, null, null));
        world.jobs.refuse(ImportOutcome.Reason.JOB_LIMIT);
        assertThrows(ImportJobLimitExceededException.class,
                () -> world.operatorImports.create(request, null, null, null));
        var head = world.objects.head(BUCKET, "users/bad.csv", 100).orElseThrow();
        assertThrows(DatasetImportRejectedException.class,
                () -> world.operatorImports.create(request, null, null, head));
    }
}
