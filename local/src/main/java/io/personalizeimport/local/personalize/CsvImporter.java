package io.personalizeimport.local.personalize;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Reads an import job's CSV data from S3 and checks it as Personalize does: the header against the schema, every
 * value against its field's type, and the interactions minimum. Streams each object, one record at a time, and keeps
 * the checked records for the dataset (exports write them back out).
 */
final class CsvImporter implements ImportJobRunner.DataReader {

    /** Personalize's reason for any S3 object or bucket it cannot read. */
    static final String S3_ACCESS_FAILURE = "Insufficient privileges for accessing data in Amazon S3";
    /** Personalize's reason for a data location it cannot parse. */
    static final String INVALID_LOCATION = "Invalid Data location";

    /** An {@code s3://bucket/key} data location; the key may be empty or a folder ending in "/". */
    static final Pattern S3_URL = Pattern.compile("s3://([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])/(.*)");
    private static final int MAX_ID_LENGTH = 256;

    /** What a successful read found: every record in file order, each keyed by its schema field names. */
    record ImportedData(List<Map<String, String>> rows) {

        long records() {
            return rows.size();
        }
    }

    private final S3Client s3;

    CsvImporter(S3Client s3) {
        this.s3 = s3;
    }

    @Override
    public ImportedData read(String dataLocation, DatasetType type, AvroSchema schema) throws ImportFailedException {
        Matcher location = S3_URL.matcher(dataLocation);
        if (!location.matches()) {
            throw new ImportFailedException(INVALID_LOCATION);
        }
        String bucket = location.group(1);
        String key = location.group(2);
        List<String> keys = key.isEmpty() || key.endsWith("/")
                ? csvObjectsUnder(s3, bucket, key).stream().map(S3Object::key).toList() : List.of(key);
        if (keys.isEmpty()) {
            throw new ImportFailedException("No CSV files found in " + dataLocation);
        }
        List<Map<String, String>> rows = new ArrayList<>();
        for (String objectKey : keys) {
            readObject(bucket, objectKey, schema, rows);
        }
        if (type == DatasetType.INTERACTIONS && rows.size() < DatasetType.MIN_INTERACTIONS) {
            throw new ImportFailedException("Number of interactions (" + rows.size() + ") in " + dataLocation
                    + " is less than the minimum of " + DatasetType.MIN_INTERACTIONS);
        }
        return new ImportedData(rows);
    }

    /** The {@code .csv} objects under {@code prefix}, by key, as Personalize reads a folder. */
    static List<S3Object> csvObjectsUnder(S3Client s3, String bucket, String prefix) throws ImportFailedException {
        try {
            return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                    .filter(o -> o.key().toLowerCase(Locale.ROOT).endsWith(".csv"))
                    .sorted(Comparator.comparing(S3Object::key))
                    .toList();
        } catch (SdkException e) {
            throw s3Failure("list s3://" + bucket + "/" + prefix, e);
        }
    }

    private void readObject(String bucket, String key, AvroSchema schema, List<Map<String, String>> rows)
            throws ImportFailedException {
        String source = "s3://" + bucket + "/" + key;
        try (InputStream in = s3.getObject(b -> b.bucket(bucket).key(key));
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8
                        .newDecoder().onMalformedInput(CodingErrorAction.REPORT)), 64 * 1024)) {
            readCsv(new CsvReader(reader), source, schema, rows);
        } catch (SdkException e) {
            throw s3Failure("read " + source, e);
        } catch (CharacterCodingException e) {
            throw new ImportFailedException("Input CSV " + source + " is not valid UTF-8");
        } catch (IOException e) {
            throw new ImportFailedException("Could not read " + source + ": " + e.getMessage());
        }
    }

    private void readCsv(CsvReader csv, String source, AvroSchema schema, List<Map<String, String>> rows)
            throws IOException, ImportFailedException {
        List<String> header = next(csv, source);
        if (header == null) {
            throw new ImportFailedException("Input CSV " + source + " is empty: expected a header row");
        }
        List<AvroSchema.Field> columns = columns(header, source, schema);
        long row = 0;
        while (true) {
            List<String> values = next(csv, source);
            if (values == null) {
                return;
            }
            row++;
            if (values.size() != columns.size()) {
                throw new ImportFailedException("Row " + row + " of " + source + " has " + values.size()
                        + " values but the header has " + columns.size() + " columns");
            }
            // Keyed by the schema's spelling of each field, whatever case the header used.
            Map<String, String> record = new LinkedHashMap<>();
            for (int i = 0; i < values.size(); i++) {
                checkValue(values.get(i), columns.get(i), row, source);
                record.put(columns.get(i).name(), values.get(i));
            }
            rows.add(record);
        }
    }

    private static List<String> next(CsvReader csv, String source) throws IOException, ImportFailedException {
        try {
            return csv.next();
        } catch (CsvReader.MalformedCsvException e) {
            throw new ImportFailedException("Malformed CSV in " + source + ": " + e.getMessage());
        } catch (CsvReader.RecordTooLongException e) {
            // Rows are numbered as in the other reasons: the first record after the header is row 1.
            String row = e.recordNumber() == 1 ? "The header row" : "Row " + (e.recordNumber() - 1);
            throw new ImportFailedException(row + " of " + source + " is longer than " + e.limit() + " bytes: "
                    + "a row this long is most likely a file without line breaks or a quote that is never closed");
        }
    }

    private static List<AvroSchema.Field> columns(List<String> header, String source, AvroSchema schema)
            throws ImportFailedException {
        List<AvroSchema.Field> columns = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String name : header) {
            String column = name.strip();
            if (!seen.add(column.toUpperCase(Locale.ROOT))) {
                throw new ImportFailedException("Input CSV " + source + " has the column " + column + " twice");
            }
            schema.field(column).ifPresentOrElse(columns::add, () -> unknown.add(column));
        }
        List<String> missing = schema.fields().stream()
                .filter(f -> !f.nullable() && !seen.contains(f.name().toUpperCase(Locale.ROOT)))
                .map(AvroSchema.Field::name)
                .toList();
        if (!missing.isEmpty()) {
            throw new ImportFailedException("Input CSV is missing the following columns: " + missing);
        }
        if (!unknown.isEmpty()) {
            throw new ImportFailedException("Input CSV has the following columns that are not in the schema: "
                    + unknown);
        }
        return columns;
    }

    private static void checkValue(String value, AvroSchema.Field field, long row, String source)
            throws ImportFailedException {
        if (value.isEmpty()) {
            if (field.nullable()) {
                return;
            }
            throw new ImportFailedException("Row " + row + " of " + source + " has no value for column "
                    + field.name() + ", which is not nullable (expected " + field.type() + ")");
        }
        boolean valid = switch (field.type()) {
            case "int" -> parses(() -> Integer.parseInt(value));
            case "long" -> parses(() -> Long.parseLong(value));
            case "float", "double" -> isFiniteNumber(value);
            case "boolean" -> value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false");
            default -> true;
        };
        if (!valid) {
            throw new ImportFailedException("Row " + row + " of " + source + ", column " + field.name()
                    + ": value '" + value + "' is not a valid " + field.type());
        }
        if (field.name().endsWith("_ID") && value.length() > MAX_ID_LENGTH) {
            throw new ImportFailedException("Row " + row + " of " + source + ", column " + field.name()
                    + ": value is longer than " + MAX_ID_LENGTH + " characters");
        }
    }

    private static boolean parses(Runnable parse) {
        try {
            parse.run();
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean isFiniteNumber(String value) {
        try {
            return Double.isFinite(Double.parseDouble(value));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Personalize's failure for an S3 request that failed; the detail goes to the emulator's log. */
    static ImportFailedException s3Failure(String action, SdkException e) {
        // Personalize reports every unreadable source with one reason; the detail goes to the emulator's log.
        String detail = e instanceof S3Exception s3e && s3e.awsErrorDetails() != null
                ? s3e.awsErrorDetails().errorCode() + " (HTTP " + s3e.statusCode() + ")"
                : e instanceof SdkClientException ? "client error: " + e.getMessage() : e.getMessage();
        EmulatorLog.info("could not " + action + ": " + detail);
        return new ImportFailedException(S3_ACCESS_FAILURE);
    }
}
