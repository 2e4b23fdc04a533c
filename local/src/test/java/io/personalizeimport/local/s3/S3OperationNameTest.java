package io.personalizeimport.local.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Path-style requests as the AWS SDK sends them, and the S3 API operation each one calls. */
class S3OperationNameTest {

    @ParameterizedTest(name = "{0} {1}?{2} -> {4}")
    @CsvSource(nullValues = "-", value = {
        "GET,    /,                  -,                              false, ListBuckets",
        "GET,    /imports,           list-type=2&prefix=users%2F,    false, ListObjectsV2",
        "GET,    /imports/,          prefix=a,                       false, ListObjects",
        "GET,    /imports,           location,                       false, GetBucketLocation",
        "HEAD,   /imports,           -,                              false, HeadBucket",
        "PUT,    /imports,           -,                              false, CreateBucket",
        "DELETE, /imports,           -,                              false, DeleteBucket",
        "POST,   /imports,           delete,                         false, DeleteObjects",
        "GET,    /imports/users/a.csv, -,                            false, GetObject",
        "GET,    /imports/a.csv,     partNumber=1,                   false, GetObject",
        "HEAD,   /imports/users/a.csv, -,                            false, HeadObject",
        "PUT,    /imports/a.csv,     -,                              false, PutObject",
        "PUT,    /imports/a.csv,     -,                              true,  CopyObject",
        "PUT,    /imports/a.csv,     partNumber=2&uploadId=x,        false, UploadPart",
        "PUT,    /imports/a.csv,     partNumber=2&uploadId=x,        true,  UploadPartCopy",
        "POST,   /imports/a.csv,     uploads,                        false, CreateMultipartUpload",
        "POST,   /imports/a.csv,     uploadId=x,                     false, CompleteMultipartUpload",
        "DELETE, /imports/a.csv,     uploadId=x,                     false, AbortMultipartUpload",
        "DELETE, /imports/a.csv,     -,                              false, DeleteObject",
        "GET,    /imports/a.csv,     tagging,                        false, GetObjectTagging",
        "PATCH,  /imports/a.csv,     -,                              false, Unknown"})
    void request_shouldBeNamedAsTheS3ApiReferenceNamesIt(String method, String path, String query, boolean copy,
                                                         String operation) {
        assertEquals(operation, S3OperationName.of(method, path, query, copy));
    }
}
