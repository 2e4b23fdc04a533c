package io.personalizeimport.local.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The demo files: a small shop's users, items and a month of their interactions, in the schemas of
 * {@code infra/schemas}, plus broken files that show what each kind of failure looks like. Seeded, so the files in
 * {@code local/demo/data} are exactly what {@code local/run generate-demo-data} writes.
 */
public final class DemoData {

    public static final long DEFAULT_SEED = 20_261_123L;
    /** 2026-11-01T00:00:00Z: interactions spread over the 30 days after it. */
    static final long START_EPOCH_SECONDS = 1_761_955_200L;

    private static final String[] MEMBERSHIPS = {"basic", "basic", "basic", "silver", "silver", "gold"};
    private static final String[] CATEGORIES = {"books", "music", "games", "garden", "kitchen", "toys", "sports"};
    private static final String[] EVENTS = {"view", "view", "view", "view", "click", "click", "purchase"};

    /** One demo file, where it goes, and what the pipeline should make of it. */
    public record DemoFile(String key, String content, Expectation expected, String why) {
    }

    /**
     * The outcome the demo expects: the file's final status in the import ledger (IMPORTED, SUPERSEDED, REJECTED or
     * FAILED) and, for a failed import, its execution's error.
     */
    public record Expectation(String status, String error) {

        static final Expectation IMPORTED = new Expectation("IMPORTED", null);
        static final Expectation SUPERSEDED = new Expectation("SUPERSEDED", null);
        static final Expectation REJECTED = new Expectation("REJECTED", null);
        static final Expectation DELETED = new Expectation("DELETED", null);

        static Expectation failure(String error) {
            return new Expectation("FAILED", error);
        }
    }

    private DemoData() {
    }

    public static List<DemoFile> files(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int users = 200;
        int items = 120;
        List<DemoFile> files = new ArrayList<>();
        // Contents are drawn in a fixed order, so the files of one seed stay the same whatever order they upload in.
        String usersCsv = users(random, users);
        String itemsCsv = items(random, items, null);
        String interactionsCsv = interactions(random, 5_000, users, items, -1);
        String badTimestamp = interactions(random, 1_200, users, items, 417);
        String wrongTypes = items(random, 40, "free");
        String tooFew = interactions(random, 300, users, items, -1);
        files.add(new DemoFile("users/users.csv", usersCsv, Expectation.IMPORTED, "200 users"));
        files.add(new DemoFile("items/items.csv", itemsCsv, Expectation.IMPORTED, "120 items"));
        files.add(new DemoFile("interactions/interactions.csv", interactionsCsv, Expectation.IMPORTED,
                "5,000 interactions over 30 days"));
        // The preflight reads the first rows of each file and refuses values the schema cannot take, and counts the
        // interactions of a file that is a job of its own, so none of the broken files costs an import job.
        files.add(new DemoFile("interactions/broken-too-few.csv", tooFew, Expectation.REJECTED,
                "300 interactions, below Personalize's minimum of 1,000 per import job: refused before any job"));
        files.add(new DemoFile("interactions/broken-bad-timestamp.csv", badTimestamp,
                Expectation.REJECTED, "row 418 has a date where epoch seconds belong: refused before any import job"));
        files.add(new DemoFile("interactions/broken-missing-column.csv",
                "USER_ID,ITEM_ID,EVENT_TYPE\nu0001,i0001,view\nu0002,i0003,click\n",
                Expectation.REJECTED, "no TIMESTAMP column: refused before any import job"));
        files.add(new DemoFile("items/broken-wrong-types.csv", wrongTypes,
                Expectation.REJECTED, "a PRICE that is not a number: refused before any import job"));
        return files;
    }

    /** The demo's deletion route: lists of users under {@code forget/} deleted from the demo dataset group. */
    public static final String FORGET_PREFIX = "forget/";

    /**
     * The list of users the demo forgets once its files have imported: five users of {@code users.csv}, whose
     * interactions the interactions file holds too.
     */
    public static DemoFile forgetList() {
        StringBuilder csv = new StringBuilder("USER_ID\n");
        for (int i = 1; i <= FORGOTTEN_USERS; i++) {
            csv.append(userId(i)).append('\n');
        }
        return new DemoFile(FORGET_PREFIX + "forget-5-users.csv", csv.toString(), Expectation.DELETED,
                FORGOTTEN_USERS + " users who asked to be forgotten: deleted from users and interactions");
    }

    private static final int FORGOTTEN_USERS = 5;

    public static void write(Path dir, long seed) {
        try {
            for (DemoFile file : files(seed)) {
                Path target = dir.resolve(file.key());
                Files.createDirectories(target.getParent());
                Files.writeString(target, file.content(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String users(SplittableRandom random, int count) {
        StringBuilder csv = new StringBuilder("USER_ID,MEMBERSHIP,AGE\n");
        for (int i = 1; i <= count; i++) {
            String age = random.nextInt(10) == 0 ? "" : Integer.toString(18 + random.nextInt(62));
            csv.append(userId(i)).append(',').append(MEMBERSHIPS[random.nextInt(MEMBERSHIPS.length)]).append(',')
                    .append(age).append('\n');
        }
        return csv.toString();
    }

    /** @param badPrice a value to put in one row's PRICE, or null for a valid file */
    private static String items(SplittableRandom random, int count, String badPrice) {
        StringBuilder csv = new StringBuilder("ITEM_ID,CATEGORY,PRICE,CREATION_TIMESTAMP\n");
        for (int i = 1; i <= count; i++) {
            String price = badPrice != null && i == count / 2
                    ? badPrice : String.format(Locale.ROOT, "%.2f", 2 + random.nextDouble() * 98);
            long created = START_EPOCH_SECONDS - 86_400L * (1 + random.nextInt(365));
            csv.append(itemId(i)).append(',').append(CATEGORIES[random.nextInt(CATEGORIES.length)]).append(',')
                    .append(price).append(',').append(created).append('\n');
        }
        return csv.toString();
    }

    /**
     * Interactions in time order; popular items are drawn more often (the square of a uniform draw skews to low ids).
     *
     * @param badRow the 0-based row whose timestamp is written as a date, or -1 for none
     */
    private static String interactions(SplittableRandom random, int count, int users, int items, int badRow) {
        StringBuilder csv = new StringBuilder("USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE\n");
        long step = 30L * 86_400 / count;
        for (int row = 0; row < count; row++) {
            double skew = random.nextDouble();
            int item = 1 + (int) (skew * skew * items);
            String event = EVENTS[random.nextInt(EVENTS.length)];
            long timestamp = START_EPOCH_SECONDS + row * step + random.nextInt((int) Math.max(1, step));
            String time = row == badRow ? "2026-11-02T10:15:00Z" : Long.toString(timestamp);
            String value = event.equals("purchase") ? String.format(Locale.ROOT, "%.2f", 2 + random.nextDouble() * 98) : "";
            csv.append(userId(1 + random.nextInt(users))).append(',').append(itemId(item)).append(',').append(time)
                    .append(',').append(event).append(',').append(value).append('\n');
        }
        return csv.toString();
    }

    private static String userId(int n) {
        return String.format(Locale.ROOT, "u%04d", n);
    }

    private static String itemId(int n) {
        return String.format(Locale.ROOT, "i%04d", n);
    }
}
