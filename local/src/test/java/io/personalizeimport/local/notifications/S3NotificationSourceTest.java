package io.personalizeimport.local.notifications;

import static io.personalizeimport.local.notifications.RecordingTarget.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalizeimport.local.s3.LocalS3;
import io.personalizeimport.local.testing.SdkClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Notifications of a real {@link LocalS3} bucket, written through the AWS SDK or copied into the bucket folder, with a
 * {@link RecordingTarget} in place of the Lambda host. Waits run at time scale 0.01: Lambda's 1 and 2 minute retry
 * delays become 0.6 and 1.2 s.
 */
class S3NotificationSourceTest {

    private static final String BUCKET = "personalize-import-data";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path root;

    private LocalS3 s3;
    private S3Client client;
    private Path bucketFolder;
    private final List<S3NotificationSource> sources = new ArrayList<>();
    private final List<String> log = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startS3() {
        s3 = LocalS3.builder().dataDir(root.resolve("s3")).build().start();
        client = SdkClients.s3(s3);
        bucketFolder = s3.createBucket(BUCKET);
    }

    @AfterEach
    void stopAll() {
        sources.forEach(S3NotificationSource::close);
        client.close();
        s3.close();
    }

    @Test
    void objectPutThroughS3_shouldBeNotifiedOnceInS3EventFormat() throws Exception {
        // GIVEN a running source routing interactions/ *.csv
        RecordingTarget target = RecordingTarget.succeeding();
        start(target);
        String key = "interactions/daily export été+more.csv";

        // WHEN an object whose key holds a space, a plus and accented letters is put through the SDK
        put(key, "USER_ID,ITEM_ID,TIMESTAMP\nu1,i1,1700000000\n");

        // THEN one event arrives, with S3's fields and the ETag S3 reports for the object
        JsonNode event = MAPPER.readTree(target.awaitDelivered(key, 1).get(0).eventJson());
        assertEquals(1, event.path("Records").size(), "S3 sends one record per event");
        JsonNode record = event.path("Records").path(0);
        assertEquals("2.1", record.path("eventVersion").asText());
        assertEquals("aws:s3", record.path("eventSource").asText());
        assertEquals("us-east-1", record.path("awsRegion").asText());
        assertEquals("ObjectCreated:Put", record.path("eventName").asText());
        Instant eventTime = Instant.parse(record.path("eventTime").asText());
        assertTrue(Duration.between(eventTime, Instant.now()).abs().toSeconds() < 30, "eventTime is now: " + eventTime);
        assertTrue(record.path("userIdentity").path("principalId").asText().startsWith("AWS:"));
        assertEquals("127.0.0.1", record.path("requestParameters").path("sourceIPAddress").asText());
        assertTrue(record.path("responseElements").path("x-amz-request-id").asText().matches("[0-9A-F]{16}"));
        assertFalse(record.path("responseElements").path("x-amz-id-2").asText().isEmpty());
        JsonNode s3Node = record.path("s3");
        assertEquals("1.0", s3Node.path("s3SchemaVersion").asText());
        assertEquals("interactions-csv", s3Node.path("configurationId").asText());
        assertEquals(BUCKET, s3Node.path("bucket").path("name").asText());
        assertEquals("arn:aws:s3:::" + BUCKET, s3Node.path("bucket").path("arn").asText());
        assertFalse(s3Node.path("bucket").path("ownerIdentity").path("principalId").asText().isEmpty());
        JsonNode object = s3Node.path("object");
        // Amazon S3 User Guide, 'Event message structure': form-field encoding, space -> '+', '+' -> %2B, UTF-8 octets
        // percent-encoded, '/' kept.
        assertEquals("interactions/daily+export+%C3%A9t%C3%A9%2Bmore.csv", object.path("key").asText());
        var head = client.headObject(b -> b.bucket(BUCKET).key(key));
        assertEquals(head.contentLength().longValue(), object.path("size").asLong());
        assertEquals(head.eTag().replace("\"", ""), object.path("eTag").asText());
        assertTrue(object.path("sequencer").asText().matches("[0-9A-F]{18}"), object.path("sequencer").asText());
        assertFalse(object.has("versionId"), "the local bucket is unversioned, so S3 would send no versionId");

        // AND no second event follows: a later object is notified while the first still has its one
        put("interactions/marker.csv", "USER_ID\n");
        target.awaitDelivered("interactions/marker.csv", 1);
        assertEquals(1, target.attemptsFor(key).size());
    }

    @Test
    void fileCopiedIntoTheBucketFolder_shouldBeNotifiedWithTheMd5OfItsBytes() throws Exception {
        // GIVEN a running source
        RecordingTarget target = RecordingTarget.succeeding();
        start(target);
        byte[] content = "USER_ID\nu1\nu2\n".getBytes(StandardCharsets.UTF_8);

        // WHEN a file is copied straight into the bucket folder, not through S3
        Path staged = Files.write(root.resolve("users.csv"), content);
        Files.createDirectories(bucketFolder.resolve("users"));
        Files.copy(staged, bucketFolder.resolve("users/users.csv"));

        // THEN it is notified as an upload, with S3's ETag for a single-part object: the MD5 of its bytes
        JsonNode object = target.awaitDelivered("users/users.csv", 1).get(0).record().path("s3").path("object");
        assertEquals("users/users.csv", object.path("key").asText());
        assertEquals(content.length, object.path("size").asLong());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content)),
                object.path("eTag").asText());
    }

    @Test
    void overwrittenObject_shouldBeNotifiedAgainWithANewETagAndAGreaterSequencer() {
        // GIVEN an object already notified
        RecordingTarget target = RecordingTarget.succeeding();
        start(target);
        String key = "interactions/day.csv";
        put(key, "USER_ID,ITEM_ID,TIMESTAMP\n");
        JsonNode first = target.awaitDelivered(key, 1).get(0).record().path("s3").path("object");

        // WHEN it is overwritten with other content
        put(key, "USER_ID,ITEM_ID,TIMESTAMP\nu1,i1,1\n");

        // THEN a second event names the new write
        JsonNode second = target.awaitDelivered(key, 2).get(1).record().path("s3").path("object");
        assertNotEquals(first.path("eTag").asText(), second.path("eTag").asText());
        assertEquals(client.headObject(b -> b.bucket(BUCKET).key(key)).eTag().replace("\"", ""),
                second.path("eTag").asText());
        assertTrue(second.path("sequencer").asText().compareTo(first.path("sequencer").asText()) > 0,
                "sequencers of one key grow: " + first.path("sequencer") + " then " + second.path("sequencer"));
    }

    @Test
    void multipartUpload_shouldBeNotifiedAsCompleteMultipartUploadWithS3sETag() {
        // GIVEN a running source
        RecordingTarget target = RecordingTarget.succeeding();
        start(target);
        String key = "interactions/big.csv";

        // WHEN the object is uploaded in two parts (S3Proxy stages the parts in internal files meanwhile)
        String upload = client.createMultipartUpload(b -> b.bucket(BUCKET).key(key)).uploadId();
        String part1 = client.uploadPart(b -> b.bucket(BUCKET).key(key).uploadId(upload).partNumber(1),
                RequestBody.fromBytes(new byte[5 * 1024 * 1024])).eTag();
        String part2 = client.uploadPart(b -> b.bucket(BUCKET).key(key).uploadId(upload).partNumber(2),
                RequestBody.fromString("tail")).eTag();
        client.completeMultipartUpload(b -> b.bucket(BUCKET).key(key).uploadId(upload).multipartUpload(m -> m.parts(
                CompletedPart.builder().partNumber(1).eTag(part1).build(),
                CompletedPart.builder().partNumber(2).eTag(part2).build())));

        // THEN one event, for the completed object only, carries the multipart ETag S3 reports
        JsonNode record = target.awaitDelivered(key, 1).get(0).record();
        assertEquals("ObjectCreated:CompleteMultipartUpload", record.path("eventName").asText());
        assertEquals(client.headObject(b -> b.bucket(BUCKET).key(key)).eTag().replace("\"", ""),
                record.path("s3").path("object").path("eTag").asText());
        assertTrue(record.path("s3").path("object").path("eTag").asText().endsWith("-2"));
        assertEquals(List.of(key), target.attempts().stream().map(RecordingTarget.Attempt::key).distinct().toList());
    }

    @Test
    void unroutedPrefixOrOtherSuffix_shouldNotBeNotified() {
        // GIVEN a running source routing interactions/ and users/ *.csv
        RecordingTarget target = RecordingTarget.succeeding();
        start(target);

        // WHEN objects outside the routes are written, then a routed one
        put("exports/interactions.csv", "USER_ID\n");
        put("interactions/readme.txt", "not data");
        put("interactions/archive.csv.gz", "not data");
        put("interactions/routed.csv", "USER_ID\n");

        // THEN only the routed CSV is notified
        target.awaitDelivered("interactions/routed.csv", 1);
        assertEquals(List.of("interactions/routed.csv"),
                target.attempts().stream().map(RecordingTarget.Attempt::key).toList());
    }

    @Test
    void csvSuffixInLowerOrUpperCase_shouldBeNotifiedButMixedCaseNot() {
        // GIVEN a running source routing users/ with the stack's suffixes, .csv and .CSV
        RecordingTarget target = RecordingTarget.succeeding();
        start(target);

        // WHEN objects ending in .Csv, .CSV and .csv are put, in that order
        put("users/file.Csv", "USER_ID\n");
        put("users/FILE.CSV", "USER_ID\n");
        put("users/file.csv", "USER_ID\n");

        // THEN both configured spellings are notified; .Csv is not, as S3 compares suffixes case-sensitively
        target.awaitDelivered("users/FILE.CSV", 1);
        target.awaitDelivered("users/file.csv", 1);
        assertEquals(List.of(), target.attemptsFor("users/file.Csv"));
        assertEquals(2, target.attempts().size());
    }

    @Test
    void targetAlwaysFailing_shouldBeAttemptedThreeTimesThenDeadLettered() throws Exception {
        // GIVEN a target that fails every attempt
        RecordingTarget target = RecordingTarget.alwaysFailing();
        S3NotificationSource source = start(target);
        String key = "interactions/day.csv";

        // WHEN an object is put
        put(key, "USER_ID,ITEM_ID,TIMESTAMP\n");

        // THEN after 1 + 2 retries (the stack's async invoke config) the event is a dead letter saying why
        awaitDeadLettered(source);
        List<RecordingTarget.Attempt> attempts = target.attemptsFor(key);
        assertEquals(3, attempts.size());
        assertEquals(1, attempts.stream().map(RecordingTarget.Attempt::requestId).distinct().count(),
                "every attempt carries the same event");
        // Lambda waits about 1 then 2 minutes between attempts; scaled by 0.01 here.
        assertTrue(Duration.between(attempts.get(0).at(), attempts.get(1).at()).toMillis() >= 550);
        assertTrue(Duration.between(attempts.get(1).at(), attempts.get(2).at()).toMillis() >= 1150);
        DeadLetter letter = source.deadLetters().get(0);
        assertEquals(key, letter.key());
        assertEquals(BUCKET, letter.bucket());
        assertEquals(3, letter.attempts());
        assertEquals("RetriesExhausted", letter.condition());
        assertEquals(RecordingTarget.ERROR_TYPE, letter.errorType());
        assertEquals(RecordingTarget.ERROR_MESSAGE, letter.errorMessage());
        assertEquals(attempts.get(0).eventJson(), letter.eventJson());
        // The file is what Lambda sends to an on-failure destination, where the CLI's dead-letters command looks.
        assertEquals(source.stateDir().resolve("dead-letters").resolve(letter.id() + ".json"), letter.file());
        JsonNode file = MAPPER.readTree(letter.file().toFile());
        assertEquals("1.0", file.path("version").asText());
        assertEquals(3, file.path("requestContext").path("approximateInvokeCount").asInt());
        assertEquals("RetriesExhausted", file.path("requestContext").path("condition").asText());
        assertEquals(MAPPER.readTree(attempts.get(0).eventJson()), file.path("requestPayload"));
        assertEquals("Unhandled", file.path("responseContext").path("functionError").asText());
        assertEquals(RecordingTarget.ERROR_TYPE, file.path("responsePayload").path("errorType").asText());
        assertEquals(0, source.stats().pending());
        assertEquals(0, pendingFiles(source).size());
    }

    @Test
    void redriveAfterTheTargetRecovers_shouldDeliverAndRemoveTheDeadLetter() {
        // GIVEN a dead letter
        RecordingTarget target = RecordingTarget.alwaysFailing();
        S3NotificationSource source = start(target);
        String key = "users/u.csv";
        put(key, "USER_ID\nu1\n");
        awaitDeadLettered(source);
        DeadLetter letter = source.deadLetters().get(0);

        // WHEN the target recovers and the dead letter is redriven
        target.recover();
        source.redrive(letter.id());

        // THEN the same event is delivered and the dead letter is gone
        List<RecordingTarget.Attempt> delivered = target.awaitDelivered(key, 1);
        assertEquals(letter.eventJson(), delivered.get(0).eventJson());
        assertTrue(source.deadLetters().isEmpty());
        assertFalse(Files.exists(letter.file()));
        await(() -> source.stats().pending() == 0, "the redriven event to leave the queue");
        assertEquals(1, source.stats().redriven());
    }

    @Test
    void redriveOfAnUnknownId_shouldBeRefused() {
        // GIVEN a source without dead letters
        S3NotificationSource source = start(RecordingTarget.succeeding());

        // WHEN / THEN redriving a made-up id of the right form fails with a named exception
        assertThrows(DeadLetterNotFoundException.class, () -> source.redrive(EventId.EXAMPLE));
    }

    @Test
    void redriveOfAnIdThatIsNoEventId_shouldBeRefusedAndLeaveTheFileItWouldNameAlone() throws Exception {
        // GIVEN a dead letter moved out of the folder, beside it
        RecordingTarget target = RecordingTarget.alwaysFailing();
        S3NotificationSource source = start(target);
        put("users/u.csv", "USER_ID\nu1\n");
        awaitDeadLettered(source);
        Path outside = source.stateDir().resolve("outside.json");
        Files.move(source.deadLetters().get(0).file(), outside);
        target.recover();

        // WHEN a redrive names it through the parent folder
        MalformedEventIdException failure = assertThrows(MalformedEventIdException.class,
                () -> source.redrive("../outside"));

        // THEN it is refused as no id: the file stays, and nothing is queued or delivered
        assertTrue(failure.getMessage().contains("'../outside'"), failure.getMessage());
        assertTrue(Files.exists(outside));
        assertEquals(0, source.stats().redriven());
        assertEquals(0, source.stats().pending());
        assertEquals(List.of(), target.deliveredFor("users/u.csv"));
    }

    @Test
    void fileInTheDeadLetterFolderNotNamedAfterAnEvent_shouldNotBeListed() throws Exception {
        // GIVEN a dead letter, and a copy of it under another name in the same folder
        S3NotificationSource source = start(RecordingTarget.alwaysFailing());
        put("users/u.csv", "USER_ID\nu1\n");
        awaitDeadLettered(source);
        DeadLetter letter = source.deadLetters().get(0);
        Files.copy(letter.file(), letter.file().resolveSibling("notes.json"));

        // WHEN the dead letters are listed
        List<DeadLetter> listed = source.deadLetters();

        // THEN only the one named after its event is a dead letter
        assertEquals(List.of(letter.id()), listed.stream().map(DeadLetter::id).toList());
    }

    @Test
    void targetFailingOnce_shouldReceiveTheEventAgainOnRetry() {
        // GIVEN a target whose first attempt fails
        RecordingTarget target = RecordingTarget.failingTimes(1);
        List<DeliveryReport> reports = new CopyOnWriteArrayList<>();
        S3NotificationSource source = start(target, reports::add);
        String key = "interactions/day.csv";

        // WHEN an object is put
        put(key, "USER_ID,ITEM_ID,TIMESTAMP\n");

        // THEN the retry delivers the same event, and no dead letter is left
        target.awaitDelivered(key, 1);
        List<RecordingTarget.Attempt> attempts = target.attemptsFor(key);
        assertEquals(2, attempts.size());
        assertEquals(attempts.get(0).eventJson(), attempts.get(1).eventJson());
        assertTrue(source.deadLetters().isEmpty());
        await(() -> reports.size() == 2, "two delivery reports");
        assertEquals(List.of(DeliveryReport.Disposition.RETRY_SCHEDULED, DeliveryReport.Disposition.DELIVERED),
                reports.stream().map(DeliveryReport::disposition).toList());
        assertEquals(List.of(1, 2), reports.stream().map(DeliveryReport::attempt).toList());
    }

    @Test
    void restart_shouldNotifyObjectsAddedWhileStoppedButNotUnchangedOnes() {
        // GIVEN an object notified by a first run, which then stops
        RecordingTarget firstTarget = RecordingTarget.succeeding();
        S3NotificationSource first = start(firstTarget);
        put("interactions/before.csv", "USER_ID\n");
        firstTarget.awaitDelivered("interactions/before.csv", 1);
        first.close();

        // WHEN objects are written while no source runs, and a new run starts over the same state directory
        put("interactions/while-down.csv", "USER_ID\n");
        writeFile("users/copied-while-down.csv", "USER_ID\n");
        RecordingTarget secondTarget = RecordingTarget.succeeding();
        start(secondTarget);

        // THEN the new objects are notified and the unchanged one is not
        secondTarget.awaitDelivered("interactions/while-down.csv", 1);
        secondTarget.awaitDelivered("users/copied-while-down.csv", 1);
        put("interactions/marker.csv", "USER_ID\n");
        secondTarget.awaitDelivered("interactions/marker.csv", 1);
        assertTrue(secondTarget.attemptsFor("interactions/before.csv").isEmpty());
    }

    @Test
    void pendingEventAtShutdown_shouldBeDeliveredByTheNextRun() throws Exception {
        // GIVEN a run whose target fails, stopped while the event waits for its retry
        RecordingTarget failing = RecordingTarget.alwaysFailing();
        CountDownLatch retryScheduled = new CountDownLatch(1);
        S3NotificationSource first = start(failing, report -> {
            if (report.disposition() == DeliveryReport.Disposition.RETRY_SCHEDULED) {
                retryScheduled.countDown();
            }
        });
        String key = "interactions/day.csv";
        put(key, "USER_ID,ITEM_ID,TIMESTAMP\n");
        assertTrue(retryScheduled.await(10, TimeUnit.SECONDS));
        first.close();
        assertEquals(1, pendingFiles(first).size());

        // WHEN a new run starts over the same state directory with a working target
        RecordingTarget working = RecordingTarget.succeeding();
        S3NotificationSource second = start(working);

        // THEN it delivers that very event, once, and nothing is left pending
        List<RecordingTarget.Attempt> delivered = working.awaitDelivered(key, 1);
        assertEquals(failing.attemptsFor(key).get(0).eventJson(), delivered.get(0).eventJson());
        await(() -> pendingFiles(second).isEmpty(), "the pending file to go");
        put("interactions/marker.csv", "USER_ID\n");
        working.awaitDelivered("interactions/marker.csv", 1);
        assertEquals(1, working.attemptsFor(key).size(), "the write was not detected a second time");
        assertTrue(second.deadLetters().isEmpty());
    }

    @Test
    void overlappingFilters_shouldBeRejectedAsS3RejectsThem() {
        // GIVEN two filters that could both match interactions/x.csv
        var builder = S3NotificationSource.builder().bucket(BUCKET).bucketFolder(bucketFolder)
                .stateDir(root.resolve("state")).target(RecordingTarget.succeeding())
                .filter(NotificationFilter.csv("all", "interactions/"))
                .filter(NotificationFilter.csv("daily", "interactions/daily/"));

        // WHEN / THEN building the source fails, naming both
        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class, builder::build);
        assertTrue(failure.getMessage().contains("all") && failure.getMessage().contains("daily"));
    }

    // ---- helpers ----

    private S3NotificationSource start(RecordingTarget target) {
        return start(target, report -> { });
    }

    private S3NotificationSource start(RecordingTarget target, Consumer<DeliveryReport> reports) {
        S3NotificationSource source = S3NotificationSource.builder()
                .bucket(BUCKET)
                .bucketFolder(bucketFolder)
                .filter(NotificationFilter.csv("interactions-csv", "interactions/"))
                .filter(NotificationFilter.csv("users-csv", "users/"))
                .stateDir(root.resolve("state"))
                .target(target)
                .timeScale(0.01)
                .pollInterval(Duration.ofMillis(50))
                .listener(new DeliveryListener() {
                    @Override
                    public void onAttempt(DeliveryReport report) {
                        reports.accept(report);
                    }
                })
                .logSink(log::add)
                .build()
                .start();
        sources.add(source);
        return source;
    }

    private void put(String key, String content) {
        client.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(content, StandardCharsets.UTF_8));
    }

    private void writeFile(String key, String content) {
        try {
            Path file = bucketFolder.resolve(key);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until the source has finished dead-lettering one event: the counter moves after the dead letter is written
     * and the event has left the queue, so a test never sees the file while the event is still pending.
     */
    private static void awaitDeadLettered(S3NotificationSource source) {
        await(() -> source.stats().deadLettered() == 1, "an event to be dead-lettered");
    }

    private static List<Path> pendingFiles(S3NotificationSource source) {
        try (Stream<Path> files = Files.list(source.stateDir().resolve("pending"))) {
            return files.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
