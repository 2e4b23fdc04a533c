package io.personalizeimport.local.personalize;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Reads a data deletion job's list of users from S3: CSV objects with a {@code USER_ID} column, one user a row, at most
 * {@link #MAX_INPUT_BYTES} in all, checked before any is read.
 */
final class UserIdListReader implements DataDeletionJobRunner.UserIdReader {

    /**
     * The most input a data deletion job takes, all its files together: 100 MB, the limit the pipeline holds deletion
     * files to, in decimal megabytes (the stricter reading). The Developer Guide's "Deleting users" guidelines have
     * stated 50 MB: lower this if the service's limit is that.
     */
    static final long MAX_INPUT_BYTES = 100L * 1000 * 1000;

    private static final String USER_ID = "USER_ID";

    private final S3Client s3;
    private final long maxInputBytes;

    UserIdListReader(S3Client s3) {
        this(s3, MAX_INPUT_BYTES);
    }

    /** A reader with another size limit, so a test can cross it without writing 100 MB. */
    UserIdListReader(S3Client s3, long maxInputBytes) {
        this.s3 = s3;
        this.maxInputBytes = maxInputBytes;
    }

    @Override
    public Set<String> read(String dataLocation) throws ImportFailedException {
        Matcher location = CsvImporter.S3_URL.matcher(dataLocation);
        if (!location.matches()) {
            throw new ImportFailedException(CsvImporter.INVALID_LOCATION);
        }
        String bucket = location.group(1);
        String key = location.group(2);
        List<S3Object> objects = key.isEmpty() || key.endsWith("/")
                ? CsvImporter.csvObjectsUnder(s3, bucket, key) : List.of(head(bucket, key));
        if (objects.isEmpty()) {
            throw new ImportFailedException("No CSV files found in " + dataLocation);
        }
        long size = objects.stream().mapToLong(S3Object::size).sum();
        if (size > maxInputBytes) {
            throw new ImportFailedException("The data deletion input at " + dataLocation + " is " + size
                    + " bytes, more than the limit of " + maxInputBytes + " bytes for the files of one data deletion"
                    + " job: split the users over several jobs");
        }
        Set<String> userIds = new LinkedHashSet<>();
        for (S3Object object : objects) {
            readObject(bucket, object.key(), userIds);
        }
        return userIds;
    }

    private S3Object head(String bucket, String key) throws ImportFailedException {
        try {
            long size = s3.headObject(b -> b.bucket(bucket).key(key)).contentLength();
            return S3Object.builder().key(key).size(size).build();
        } catch (SdkException e) {
            throw CsvImporter.s3Failure("read s3://" + bucket + "/" + key, e);
        }
    }

    private void readObject(String bucket, String key, Set<String> userIds) throws ImportFailedException {
        String source = "s3://" + bucket + "/" + key;
        try (InputStream in = s3.getObject(b -> b.bucket(bucket).key(key));
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8
                        .newDecoder().onMalformedInput(CodingErrorAction.REPORT)), 64 * 1024)) {
            readCsv(new CsvReader(reader), source, userIds);
        } catch (SdkException e) {
            throw CsvImporter.s3Failure("read " + source, e);
        } catch (CharacterCodingException e) {
            throw new ImportFailedException("Input CSV " + source + " is not valid UTF-8");
        } catch (IOException e) {
            throw new ImportFailedException("Could not read " + source + ": " + e.getMessage());
        } catch (CsvReader.MalformedCsvException e) {
            throw new ImportFailedException("Malformed CSV in " + source + ": " + e.getMessage());
        } catch (CsvReader.RecordTooLongException e) {
            throw new ImportFailedException("Record " + e.recordNumber() + " of " + source + " is longer than "
                    + e.limit() + " bytes");
        }
    }

    // Other columns are read past: the guide asks for a single USER_ID column but does not say the service refuses more.
    private static void readCsv(CsvReader csv, String source, Set<String> userIds)
            throws IOException, ImportFailedException, CsvReader.MalformedCsvException,
            CsvReader.RecordTooLongException {
        List<String> header = csv.next();
        if (header == null) {
            throw new ImportFailedException("Input CSV " + source + " is empty: expected a header row with "
                    + USER_ID);
        }
        int column = header.stream().map(name -> name.strip().toUpperCase(Locale.ROOT)).toList().indexOf(USER_ID);
        if (column < 0) {
            throw new ImportFailedException("Input CSV is missing the following columns: [" + USER_ID + "]");
        }
        long row = 0;
        for (List<String> values = csv.next(); values != null; values = csv.next()) {
            row++;
            if (values.size() != header.size()) {
                throw new ImportFailedException("Row " + row + " of " + source + " has " + values.size()
                        + " values but the header has " + header.size() + " columns");
            }
            String userId = values.get(column);
            if (userId.isEmpty()) {
                throw new ImportFailedException("Row " + row + " of " + source + " has no value for column "
                        + USER_ID);
            }
            userIds.add(userId);
        }
    }
}
