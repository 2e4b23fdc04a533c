package software.amazon.awssdk.regions;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.regions.servicemetadata.DynamodbServiceMetadata;
import software.amazon.awssdk.regions.servicemetadata.EnhancedS3ServiceMetadata;
import software.amazon.awssdk.regions.servicemetadata.EventsServiceMetadata;
import software.amazon.awssdk.regions.servicemetadata.PersonalizeServiceMetadata;
import software.amazon.awssdk.regions.servicemetadata.StatesServiceMetadata;

/**
 * The deployment packages' replacement for the SDK's class of this name, which they leave out (lambdas/pom.xml).
 *
 * <p>Every client builder asks {@code ServiceMetadata.of} for its service's signing region, and the SDK's provider
 * answers from a map it fills, on first use, with one metadata object for each of the 300-odd AWS services: about
 * 70 ms of the describe function's init in {@code local/run bench}, loading classes of services the functions never
 * call. This one knows the services of the functions' clients, mapped to the very classes the SDK maps them to
 * ({@code ServiceMetadataTest} compares the two), and creates each on first use. For any other service it answers
 * null, for which the SDK uses its default metadata: the client's region as the signing region, the usual endpoint
 * pattern.
 */
public final class GeneratedServiceMetadataProvider implements ServiceMetadataProvider {

    private static final Map<String, ServiceMetadata> CREATED = new ConcurrentHashMap<>();

    @Override
    public ServiceMetadata serviceMetadata(String endpointPrefix) {
        // An unknown prefix maps to null, which computeIfAbsent leaves out of the map.
        return CREATED.computeIfAbsent(endpointPrefix, GeneratedServiceMetadataProvider::create);
    }

    /** The endpoint prefixes of the functions' clients: their {@code SERVICE_METADATA_ID}. */
    private static ServiceMetadata create(String endpointPrefix) {
        return switch (endpointPrefix) {
            case "dynamodb" -> new DynamodbServiceMetadata();
            case "events" -> new EventsServiceMetadata();
            case "personalize" -> new PersonalizeServiceMetadata();
            case "s3" -> new EnhancedS3ServiceMetadata();
            case "states" -> new StatesServiceMetadata();
            default -> null;
        };
    }
}
