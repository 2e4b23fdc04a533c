package io.personalizeimport.lambdas.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.regions.GeneratedServiceMetadataProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.ServiceMetadata;
import software.amazon.awssdk.regions.ServiceMetadataProvider;

/**
 * The packages' service metadata provider against the SDK's own, which is read from the SDK's regions jar into a class
 * loader of its own: for the service of every client the functions build, both give the same metadata.
 */
class ServiceMetadataTest {

    private static final String PROVIDER = "software.amazon.awssdk.regions.GeneratedServiceMetadataProvider";
    private static final List<Region> REGIONS = List.of(Region.US_EAST_1, Region.EU_WEST_1, Region.AP_SOUTHEAST_2,
            Region.US_GOV_WEST_1, Region.CN_NORTH_1, Region.AWS_GLOBAL);

    private final ServiceMetadataProvider packaged = new GeneratedServiceMetadataProvider();
    private final ServiceMetadataProvider sdks = sdkProvider();

    @Test
    void everyClientOfTheFunctions_shouldGetTheMetadataTheSdkGivesIt() {
        Set<String> prefixes = clientEndpointPrefixes();
        assertEquals(Set.of("personalize", "s3", "states", "dynamodb", "events"), prefixes);
        for (String prefix : prefixes) {
            ServiceMetadata ours = packaged.serviceMetadata(prefix);
            ServiceMetadata theirs = sdks.serviceMetadata(prefix);
            assertNotNull(ours, prefix);
            assertEquals(theirs.getClass(), ours.getClass(), prefix);
            for (Region region : REGIONS) {
                assertEquals(theirs.signingRegion(region), ours.signingRegion(region), prefix + " in " + region);
                assertEquals(theirs.endpointFor(region), ours.endpointFor(region), prefix + " in " + region);
            }
        }
    }

    @Test
    void aServiceNoFunctionCalls_shouldBeLeftToTheSdksDefaultMetadata() {
        assertNull(packaged.serviceMetadata("sqs"));
        assertEquals("SqsServiceMetadata", sdks.serviceMetadata("sqs").getClass().getSimpleName());
        // ServiceMetadata.of, as the client builders call it, reads the packaged provider on this classpath too, and
        // falls back to the SDK's default, which signs in the client's region.
        ServiceMetadata fallback = ServiceMetadata.of("sqs");
        assertEquals("DefaultServiceMetadata", fallback.getClass().getSimpleName());
        assertEquals(Region.EU_WEST_1, fallback.signingRegion(Region.EU_WEST_1));
    }

    @Test
    void theSameService_shouldGetOneMetadataObject() {
        assertSame(packaged.serviceMetadata("s3"), packaged.serviceMetadata("s3"));
    }

    /** The SERVICE_METADATA_ID of each client in {@link AwsClients}, the functions' clients. */
    private static Set<String> clientEndpointPrefixes() {
        return Arrays.stream(AwsClients.class.getDeclaredFields())
                .map(Field::getType)
                .filter(SdkClient.class::isAssignableFrom)
                .map(client -> {
                    try {
                        return (String) client.getField("SERVICE_METADATA_ID").get(null);
                    } catch (ReflectiveOperationException e) {
                        throw new AssertionError(client.getName() + " has no SERVICE_METADATA_ID", e);
                    }
                })
                .collect(Collectors.toSet());
    }

    /** The SDK's provider, defined from the regions jar; every other class comes from this test's class loader. */
    private static ServiceMetadataProvider sdkProvider() {
        try {
            Path regionsJar = Path.of(ServiceMetadata.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            byte[] bytes;
            try (JarFile jar = new JarFile(regionsJar.toFile());
                    InputStream in = jar.getInputStream(jar.getEntry(PROVIDER.replace('.', '/') + ".class"))) {
                bytes = in.readAllBytes();
            }
            ClassLoader loader = new ClassLoader(ServiceMetadataTest.class.getClassLoader()) {
                @Override
                protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                    if (!name.equals(PROVIDER)) {
                        return super.loadClass(name, resolve);
                    }
                    synchronized (getClassLoadingLock(name)) {
                        Class<?> loaded = findLoadedClass(name);
                        return loaded != null ? loaded : defineClass(name, bytes, 0, bytes.length);
                    }
                }
            };
            return (ServiceMetadataProvider) loader.loadClass(PROVIDER).getConstructor().newInstance();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException | ReflectiveOperationException e) {
            throw new AssertionError("Cannot read the SDK's " + PROVIDER, e);
        }
    }
}
