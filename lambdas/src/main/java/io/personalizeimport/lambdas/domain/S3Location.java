package io.personalizeimport.lambdas.domain;

import io.personalizeimport.lambdas.errors.InvalidImportRequestException;

/** An {@code s3://bucket/key} data location; a key ending in '/' names every CSV under that prefix. */
public record S3Location(String bucket, String key) {

    public static S3Location parse(String dataLocation) {
        if (dataLocation == null || !dataLocation.startsWith("s3://")) {
            throw new InvalidImportRequestException("dataLocation '" + dataLocation
                    + "' is not an S3 location: expected s3://<bucket>/<key.csv> or s3://<bucket>/<prefix>/");
        }
        String rest = dataLocation.substring("s3://".length());
        int slash = rest.indexOf('/');
        if (slash <= 0) {
            throw new InvalidImportRequestException("dataLocation '" + dataLocation
                    + "' names no bucket and key: expected s3://<bucket>/<key.csv> or s3://<bucket>/<prefix>/");
        }
        return new S3Location(rest.substring(0, slash), rest.substring(slash + 1));
    }

    public boolean isPrefix() {
        return key.isEmpty() || key.endsWith("/");
    }
}
