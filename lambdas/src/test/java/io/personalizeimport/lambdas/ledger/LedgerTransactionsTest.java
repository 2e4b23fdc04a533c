package io.personalizeimport.lambdas.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.lambdas.aws.AwsCallException;
import io.personalizeimport.lambdas.aws.ErrorKind;
import io.personalizeimport.lambdas.config.ImportMode;
import io.personalizeimport.lambdas.config.Route;
import io.personalizeimport.lambdas.domain.S3Object;
import io.personalizeimport.lambdas.events.OutboxEvent;
import io.personalizeimport.lambdas.lane.FileEntry;
import io.personalizeimport.lambdas.lane.FileStatus;
import io.personalizeimport.lambdas.lane.Lane;
import io.personalizeimport.lambdas.lane.LaneFile;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * How each of the ledger's transactional writes reads a cancelled transaction, from DynamoDB's cancellation reasons
 * (one per write, "None" for a write that was not the cause), on a hand-written client that cancels every transaction.
 */
class LedgerTransactionsTest {

    private static final String DATASET = "arn:aws:personalize:us-east-1:000000000000:dataset/g/USERS";
    private static final Route USERS = new Route("users", "users/", DATASET, ImportMode.FULL,
            "arn:aws:iam::000000000000:role/import", Map.of(), null);
    private static final FileEntry FILE = file("users/a.csv", "01");
    private static final OutboxEvent EVENT = new OutboxEvent("e-1", "Test Event", DATASET, "{}");
    private static final Lane.Running RUNNING = new Lane.Running("job-1", "job-1", List.of(Ledger.sortKey(FILE)),
            Instant.parse("2026-11-24T10:01:00Z"), false, "{}", 2);

    private static FileEntry file(String key, String sequencer) {
        return FileEntry.pending(LaneFile.written(USERS, new S3Object("bucket", key, null, "etag", 10), sequencer,
                Instant.parse("2026-11-24T10:00:00Z")));
    }

    /** A DynamoDB client whose every TransactWriteItems is cancelled for these reasons; it counts the requests. */
    private static final class CancellingClient implements DynamoDbClient {

        private final List<String> reasons;
        private final List<Integer> transactionSizes = new ArrayList<>();

        CancellingClient(String... reasons) {
            this.reasons = List.of(reasons);
        }

        @Override
        public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
            transactionSizes.add(request.transactItems().size());
            throw TransactionCanceledException.builder().statusCode(400).message("Transaction cancelled")
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("TransactionCanceledException")
                            .errorMessage("Transaction cancelled, please refer cancellation reasons for specific reasons "
                                    + reasons).build())
                    .cancellationReasons(reasons.stream().map(code -> CancellationReason.builder().code(code).build())
                            .toList())
                    .build();
        }

        /** No item: a release finds no lane held, and so returns no slot. */
        @Override
        public GetItemResponse getItem(GetItemRequest request) {
            return GetItemResponse.builder().build();
        }

        @Override
        public String serviceName() {
            return SERVICE_NAME;
        }

        @Override
        public void close() {
        }
    }

    /** Each of the ledger's writes made as one transaction, by the concern that makes it. */
    static Stream<Arguments> transactionalWrites() {
        return Stream.concat(writesThatFailOnConflict(), Stream.of(
                Arguments.of("claim a lane", (Predicate<Ledger>) ledger -> ledger.claim(Lane.free(DATASET), RUNNING,
                        List.of(FILE)))));
    }

    /** The transactions whose caller cannot read and decide again, so that a conflict is an error to retry. */
    static Stream<Arguments> writesThatFailOnConflict() {
        return Stream.of(
                Arguments.of("record a file", (Predicate<Ledger>) ledger -> ledger.record(FILE)),
                Arguments.of("record a file with its event", (Predicate<Ledger>) ledger -> ledger.record(FILE, EVENT)),
                Arguments.of("settle a file", (Predicate<Ledger>) ledger -> ledger.settle(
                        FILE.withStatus(FileStatus.IMPORTED, "job-1", null, null), EVENT)),
                Arguments.of("release a lane with its event", (Predicate<Ledger>) ledger -> ledger.release(DATASET,
                        "job-1", FILE.file().key(), "job-1", null, null, EVENT)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transactionalWrites")
    void aConditionThatFailed_shouldBeAnswerFalse(String write, Predicate<Ledger> transaction) {
        CancellingClient client = new CancellingClient("None", "ConditionalCheckFailed");

        assertFalse(transaction.test(new Ledger(client, "ledger", Clock.systemUTC())), write);
        assertEquals(1, client.transactionSizes.size(), write + ": one request, not retried");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writesThatFailOnConflict")
    void aConflictWithAnotherRequest_shouldBeATransientError(String write, Predicate<Ledger> transaction) {
        Ledger ledger = new Ledger(new CancellingClient("TransactionConflict", "None"), "ledger", Clock.systemUTC());

        AwsCallException e = assertThrows(AwsCallException.class, () -> transaction.test(ledger), write);

        assertEquals(ErrorKind.TRANSIENT, e.kind(), write);
        assertEquals("TransactionCanceledException", e.code());
    }

    @Test
    void aClaimThatAnotherClaimGotInTheWayOf_shouldLoseTheRaceNotFail() {
        // Two lanes that take the region's slots at once touch the same slot item: the loser plans again.
        CancellingClient client = new CancellingClient("None", "TransactionConflict", "None", "None", "None");

        assertFalse(new Ledger(client, "ledger", Clock.systemUTC()).claim(Lane.free(DATASET), RUNNING, List.of(FILE)));
        assertEquals(List.of(5), client.transactionSizes, "the lane, its slot, its place in line and the file");
    }

    @Test
    void aThrottledTransaction_shouldBeATransientError() {
        for (String reason : List.of("ThrottlingError", "ProvisionedThroughputExceeded", "RequestLimitExceeded")) {
            Ledger ledger = new Ledger(new CancellingClient("None", reason), "ledger", Clock.systemUTC());

            AwsCallException e = assertThrows(AwsCallException.class, () -> ledger.record(FILE), reason);

            assertEquals(ErrorKind.TRANSIENT, e.kind(), reason);
        }
    }

    @Test
    void aTransactionCancelledForAnotherReason_shouldBeRefused() {
        Ledger ledger = new Ledger(new CancellingClient("ValidationError", "None"), "ledger", Clock.systemUTC());

        AwsCallException e = assertThrows(AwsCallException.class, () -> ledger.settle(FILE));

        assertEquals(ErrorKind.PERMANENT, e.kind());
    }

    @Test
    void moreWritesThanOneTransactionHolds_shouldBeRefusedBeforeAnyRequest() {
        CancellingClient client = new CancellingClient("None");
        LedgerStore store = new LedgerStore(client, "ledger", Clock.systemUTC());
        List<TransactWriteItem> writes = Collections.nCopies(101, TransactWriteItem.builder().build());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.transact("subject", writes));

        assertEquals("A ledger transaction for subject has 101 writes: expected at most 100, DynamoDB's limit",
                e.getMessage());
        assertEquals(List.of(), client.transactionSizes);
    }

    @Test
    void aClaimOfMoreFilesThanOneTransactionHolds_shouldFillOneWithTheLaneAndItsFirstFiles() {
        // GIVEN 60 waiting files, and a lane that another function changes meanwhile
        List<FileEntry> files = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            files.add(file("users/f" + i + ".csv", String.format("%02d", i)));
        }
        CancellingClient client = new CancellingClient("ConditionalCheckFailed");

        // WHEN one import claims the lane for all of them
        boolean claimed = new Ledger(client, "ledger", Clock.systemUTC()).claim(Lane.free(DATASET), RUNNING,
                files);

        // THEN one transaction carried the lane item, its region slot and place in line, and the file and open items of
        // the first files, up to the limit; cancelled, it moved none of the others
        assertFalse(claimed);
        assertEquals(List.of(3 + 2 * Ledger.FILES_WITH_CLAIM), client.transactionSizes);
        assertTrue(4 + 2 * Ledger.FILES_WITH_CLAIM <= LedgerStore.TRANSACTION_LIMIT, "room for a group's check too");
        assertTrue(Ledger.FILES_WITH_CLAIM < files.size());
    }
}
