package io.personalizeimport.lambdas.domain;


/** Where an import came from, for the people reading the execution: the object and the route that matched it. */
public record ImportSource(String bucket, String key, String versionId, String eTag, Long size, String route) {

    public static ImportSource of(S3Object object, String route) {
        return new ImportSource(object.bucket(), object.key(), object.versionId(), object.eTag(), object.size(), route);
    }
}
