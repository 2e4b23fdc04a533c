package io.personalizeimport.tests;

import io.personalizeimport.lambdas.lane.ObjectHead;
import java.util.StringJoiner;
import java.util.function.IntFunction;

/** Small CSV files for tests, in the demo datasets' schemas (infra/schemas). */
final class Csv {

    static final long T0 = 1_763_900_000L;

    private Csv() {
    }

    /**
     * A file of {@code rows(n)} rows with {@code badRow} last, after enough rows that it lies past the first bytes the
     * preflight reads: a value only the import job finds, so the job fails on it.
     */
    static String withBadRowPastPreflight(IntFunction<String> rows, String badRow) {
        int count = 1_000;
        String csv = rows.apply(count);
        while (csv.length() <= 2 * ObjectHead.HEAD_BYTES) {
            count *= 2;
            csv = rows.apply(count);
        }
        return csv + badRow + "\n";
    }

    static String interactions(int rows) {
        StringJoiner csv = new StringJoiner("\n", "", "\n");
        csv.add("USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE");
        for (int i = 0; i < rows; i++) {
            csv.add("u" + (i % 97) + ",i" + (i % 31) + "," + (T0 + i) + ",click");
        }
        return csv.toString();
    }

    static String users(int rows) {
        return users(0, rows);
    }

    /** Users {@code u<first>} onwards: parts of one export hold different users. */
    static String users(int first, int rows) {
        StringJoiner csv = new StringJoiner("\n", "", "\n");
        csv.add("USER_ID,MEMBERSHIP,AGE");
        for (int i = first; i < first + rows; i++) {
            csv.add("u" + i + "," + (i % 2 == 0 ? "gold" : "basic") + "," + (20 + i % 50));
        }
        return csv.toString();
    }

    static String items(int rows) {
        StringJoiner csv = new StringJoiner("\n", "", "\n");
        csv.add("ITEM_ID,CATEGORY,PRICE,CREATION_TIMESTAMP");
        for (int i = 0; i < rows; i++) {
            csv.add("i" + i + ",books," + (5 + i % 20) + ".5," + (T0 - i));
        }
        return csv.toString();
    }
}
