package io.personalizeimport.lambdas.aws;

import io.personalizeimport.lambdas.Log;
import io.personalizeimport.lambdas.lane.DeletionJobs;
import java.util.Optional;
import software.amazon.awssdk.services.personalize.PersonalizeClient;

/** Personalize's data deletion jobs, through the SDK client of the function. */
public final class PersonalizeDeletionJobs implements DeletionJobs {

    private final PersonalizeClient personalize;

    public PersonalizeDeletionJobs(PersonalizeClient personalize) {
        this.personalize = personalize;
    }

    @Override
    public Optional<String> checkGroup(String datasetGroupArn) {
        try {
            AwsCall.personalize("DescribeDatasetGroup", "dataset group " + datasetGroupArn)
                    .run(() -> personalize.describeDatasetGroup(request -> request.datasetGroupArn(datasetGroupArn)));
            return Optional.empty();
        } catch (AwsCallException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                return Optional.of("Dataset group " + datasetGroupArn + " does not exist: expected the group the"
                        + " deletion route names to exist in this account and region");
            }
            Log.info("Dataset group not checked; the job's creation checks it: " + e.getMessage(), "datasetGroupArn",
                    datasetGroupArn);
            return Optional.empty();
        }
    }
}
