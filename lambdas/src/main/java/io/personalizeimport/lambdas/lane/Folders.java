package io.personalizeimport.lambdas.lane;

import io.personalizeimport.lambdas.domain.MonitorInput.FolderWatch;
import java.time.Duration;

/** A folder watch's check, once it has waited its route's marker timeout: did the folder's marker come? */
public final class Folders {

    private final FileRecords files;
    private final FolderRecords folders;

    public Folders(FileRecords files, FolderRecords folders) {
        this.files = files;
        this.folders = folders;
    }

    /** No error when the marker came; DatasetFolderIncomplete, with which folder waits and what to do, when not. */
    Release.Verdict verdict(FolderWatch watch) {
        if (folders.isFolderClosed(watch.datasetArn(), watch.folder())) {
            return Release.Verdict.imported();
        }
        long parts = files.files(watch.datasetArn(), FileStatus.PENDING).stream()
                .filter(file -> watch.folder().equals(file.file().folder())).count();
        return new Release.Verdict("DatasetFolderIncomplete", "Folder s3://" + watch.bucket() + "/" + watch.folder()
                + " of route '" + watch.route() + "' has " + parts + " part file(s) waiting but no " + watch.marker()
                + " marker " + Duration.ofSeconds(watch.waitSeconds()) + " after its first part: it is not imported"
                + " half; write s3://" + watch.bucket() + "/" + watch.folder() + watch.marker() + " to import it whole");
    }
}
