package io.personalizeimport.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.personalizeimport.lambdas.lane.FileEntry;
import io.personalizeimport.lambdas.ledger.Ledger;
import io.personalizeimport.local.stack.LocalStack;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Replay: the events of one run delivered three times each in a shuffled order end in the same ledger, the same jobs
 * and the same dataset contents as one in-order delivery. Each delivery runs on a fresh local stack, with every
 * dataset's lane held by an earlier import while the events arrive, so the lanes decide on all of them at once.
 */
class LaneReplaySystemTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final List<String> ROUTES = List.of("users", "items", "interactions");

    /** One write: a key and its content. */
    private record Write(String key, String content) {
    }

    private static List<Write> run() {
        List<Write> writes = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            writes.add(new Write("users/export-" + i + ".csv", Csv.users(50 + i)));
            writes.add(new Write("items/catalog-" + i + ".csv", Csv.items(20 + i)));
            writes.add(new Write("interactions/day-" + i + ".csv", Csv.interactions(1000 + i)));
        }
        // A, B, A on one key: the last write is A again.
        writes.add(new Write("users/same-key.csv", Csv.users(70)));
        writes.add(new Write("users/same-key.csv", Csv.users(80)));
        writes.add(new Write("users/same-key.csv", Csv.users(70)));
        return writes;
    }

    /** What a delivery left: every file's outcome and job, and each dataset's record count. */
    private record Result(Map<String, String> files, Map<String, Long> records) {
    }

    private static Result deliver(boolean shuffled) throws Exception {
        try (LocalStack stack = SharedStack.start(LocalStack.builder().personalizeStepMillis(4_000)
                .monitorDeadline(Duration.ofHours(1)));
             S3Client s3 = stack.s3Client()) {
            Ledger ledger = new Ledger(stack.dynamoDbClient(), LocalStack.LEDGER_TABLE, Clock.systemUTC());
            // GIVEN each dataset's lane held by an import of its own
            for (String route : ROUTES) {
                String blocker = route + "/blocker.csv";
                s3.putObject(r -> r.bucket(LocalStack.BUCKET).key(blocker), RequestBody.fromString(
                        route.equals("users") ? Csv.users(5) : route.equals("items") ? Csv.items(5) : Csv.interactions(1000)));
                Lanes.trigger(stack, S3Events.put(s3, LocalStack.BUCKET, blocker));
            }
            // and the run's writes, each notified once, in the order they were written
            List<String> events = new ArrayList<>();
            for (Write write : run()) {
                s3.putObject(r -> r.bucket(LocalStack.BUCKET).key(write.key()), RequestBody.fromString(write.content()));
                events.add(S3Events.put(s3, LocalStack.BUCKET, write.key()));
            }
            // WHEN the events arrive once in order, or three times each in a shuffled order
            List<String> deliveries = new ArrayList<>(events);
            if (shuffled) {
                deliveries.addAll(events);
                deliveries.addAll(events);
                Collections.shuffle(deliveries, new Random(7));
            }
            for (String event : deliveries) {
                Lanes.trigger(stack, event);
            }
            Map<String, Long> records = new TreeMap<>();
            Map<String, String> files = new TreeMap<>();
            for (String route : ROUTES) {
                String dataset = stack.datasetArn(route);
                Lanes.awaitIdle(ledger, dataset, TIMEOUT);
                records.put(route, stack.personalize().recordCount(dataset));
                int write = 0;
                for (FileEntry file : ledger.files(dataset)) {
                    // Sequencers differ between the two stacks' events; the n-th write of a key is the same write.
                    files.put(file.file().key() + " #" + (write++),
                            file.standing().status() + " " + file.standing().supersededBy());
                }
            }
            return new Result(files, records);
        }
    }

    @Test
    void shuffledTripleDelivery_shouldEndAsOneInOrderDelivery() throws Exception {
        Result inOrder = deliver(false);
        Result replayed = deliver(true);

        // THEN the same outcome for every write, and the same data in every dataset: the newest write of each
        assertEquals(inOrder.files(), replayed.files());
        assertEquals(inOrder.records(), replayed.records());
        assertEquals(Map.of("interactions", 1003L, "items", 23L, "users", 70L), inOrder.records());
    }
}
