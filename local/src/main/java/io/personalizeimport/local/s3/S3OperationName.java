package io.personalizeimport.local.s3;

import java.util.HashSet;
import java.util.Set;

/**
 * The S3 API operation a path-style request calls, named as in the S3 API reference ({@code GetObject},
 * {@code ListObjectsV2}, ...), from its method, path, query parameter names and the copy-source header.
 */
final class S3OperationName {

    private S3OperationName() {
    }

    /** The operation of a request; {@code Unknown} for one S3 does not define. */
    static String of(String method, String path, String rawQuery, boolean copySource) {
        Set<String> query = parameterNames(rawQuery);
        String trimmed = path == null ? "" : path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.isEmpty()) {
            return "GET".equals(method) ? "ListBuckets" : "Unknown";
        }
        int slash = trimmed.indexOf('/');
        boolean bucketOnly = slash < 0 || slash == trimmed.length() - 1;
        return bucketOnly ? bucketOperation(method, query) : objectOperation(method, query, copySource);
    }

    private static String bucketOperation(String method, Set<String> query) {
        return switch (method) {
            case "GET" -> query.contains("list-type") ? "ListObjectsV2"
                    : query.contains("versions") ? "ListObjectVersions"
                    : query.contains("uploads") ? "ListMultipartUploads"
                    : query.contains("location") ? "GetBucketLocation"
                    : query.contains("acl") ? "GetBucketAcl"
                    : query.contains("policy") ? "GetBucketPolicy"
                    : query.contains("versioning") ? "GetBucketVersioning"
                    : "ListObjects";
            case "HEAD" -> "HeadBucket";
            case "PUT" -> query.contains("acl") ? "PutBucketAcl"
                    : query.contains("policy") ? "PutBucketPolicy"
                    : query.contains("versioning") ? "PutBucketVersioning"
                    : "CreateBucket";
            case "POST" -> query.contains("delete") ? "DeleteObjects" : "PostObject";
            case "DELETE" -> query.contains("policy") ? "DeleteBucketPolicy" : "DeleteBucket";
            default -> "Unknown";
        };
    }

    private static String objectOperation(String method, Set<String> query, boolean copySource) {
        boolean upload = query.contains("uploadId");
        return switch (method) {
            case "GET" -> upload ? "ListParts"
                    : query.contains("acl") ? "GetObjectAcl"
                    : query.contains("tagging") ? "GetObjectTagging"
                    : "GetObject";
            case "HEAD" -> "HeadObject";
            case "PUT" -> upload && query.contains("partNumber") ? (copySource ? "UploadPartCopy" : "UploadPart")
                    : query.contains("acl") ? "PutObjectAcl"
                    : query.contains("tagging") ? "PutObjectTagging"
                    : copySource ? "CopyObject"
                    : "PutObject";
            case "POST" -> query.contains("uploads") ? "CreateMultipartUpload"
                    : upload ? "CompleteMultipartUpload"
                    : "Unknown";
            case "DELETE" -> upload ? "AbortMultipartUpload"
                    : query.contains("tagging") ? "DeleteObjectTagging"
                    : "DeleteObject";
            default -> "Unknown";
        };
    }

    private static Set<String> parameterNames(String rawQuery) {
        Set<String> names = new HashSet<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                names.add(eq < 0 ? pair : pair.substring(0, eq));
            }
        }
        return names;
    }
}
