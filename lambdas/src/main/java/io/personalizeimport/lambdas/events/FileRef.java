package io.personalizeimport.lambdas.events;

import io.personalizeimport.lambdas.lane.LaneFile;

/**
 * A notified file as events name it.
 *
 * @param versionId the object's version, in a versioned bucket
 * @param eventTime when S3 says it was written
 */
public record FileRef(String bucket, String key, String versionId, String eTag, Long size, String eventTime) {

    public static FileRef of(LaneFile file) {
        return new FileRef(file.bucket(), file.key(), file.versionId(), file.eTag(),
                file.size() < 0 ? null : file.size(), file.eventTime().toString());
    }
}
