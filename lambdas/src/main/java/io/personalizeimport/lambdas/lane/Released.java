package io.personalizeimport.lambdas.lane;

import java.util.List;

/**
 * What a release did.
 *
 * @param outcome the status its files ended with
 * @param files the files it carried
 * @param next the job the lane runs next, or null when nothing waits or another import holds the lane
 */
public record Released(String datasetArn, FileStatus outcome, List<String> files, String next) {

    public Released {
        files = List.copyOf(files);
    }
}
