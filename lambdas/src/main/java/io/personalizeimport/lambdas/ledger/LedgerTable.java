package io.personalizeimport.lambdas.ledger;

import io.personalizeimport.lambdas.config.Environment;
import io.personalizeimport.lambdas.errors.ConfigurationException;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The import ledger's DynamoDB table as every part of the project sees it: its key schema, its TTL attribute and the
 * variable that names it. The CDK stack and the local stack create it from these names; see docs/lanes-and-ledger.md.
 *
 * <p>One partition per dataset ({@code pk = lane#<datasetArn>}) holds the lane item ({@code sk = lane}), one item per
 * notified file ({@code sk = file#<order>}), one per watched folder ({@code sk = folder#<folder>}), and, while a file
 * waits or imports, its open item ({@code sk = open#<order>}): a copy of the file item, written, updated and deleted
 * in one transaction with it. The lane item sorts just before the open items, so one consistent Query reads a lane
 * and the files that wait for it, however many the lane has settled. One more partition ({@code pk = region}) holds the
 * region's import slots that lanes hold ({@code sk = slot#<n>}) and the lanes in line for one
 * ({@code sk = waiting#<datasetArn>}).
 */
public final class LedgerTable {

    public static final String VARIABLE = "LEDGER_TABLE";
    public static final String PARTITION_KEY = "pk";
    public static final String SORT_KEY = "sk";
    /** Epoch seconds after which DynamoDB's TTL may delete a file item that reached its final outcome. */
    public static final String TTL_ATTRIBUTE = "expiresAt";
    /** How long a file item is kept after its final outcome, for {@code local/run files} and audits. */
    public static final Duration RETENTION = Duration.ofDays(90);

    // DynamoDB table names: 3-255 of [a-zA-Z0-9_.-] (DynamoDB developer guide, "Naming rules").
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_.-]{3,255}");

    private LedgerTable() {
    }

    /** The table named by {@value #VARIABLE}, validated. */
    public static String name(Environment env) {
        String name = env.required(VARIABLE, "the name of the import ledger's DynamoDB table");
        if (!NAME.matcher(name).matches()) {
            throw new ConfigurationException("Environment variable " + VARIABLE + " is '" + name
                    + "': expected a DynamoDB table name of 3-255 letters, digits, '_', '.' or '-'");
        }
        return name;
    }
}
