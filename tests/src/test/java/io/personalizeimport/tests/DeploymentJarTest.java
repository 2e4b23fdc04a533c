package io.personalizeimport.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.lambdas.FunctionSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The deployment packages that both CDK and the local stack ship, one per function: its handler, one light HTTP client,
 * no heavy ones, within its size budget, and no class missing that its code names, but for what lambdas/pom.xml leaves
 * out on purpose.
 */
class DeploymentJarTest {

    /**
     * What a package may name without holding it (lambdas/pom.xml and the parent's shade filters): the shapes,
     * marshallers, paginators and waiters of operations the function does not call, asynchronous clients and bodies,
     * CRT, event streams and chunked uploads; the AWS CRT, an optional dependency no package ever held; and classes of
     * constants only, which javac copies into the classes that read them. (Jackson's fast number parser is held: the
     * SDK's JSON protocols read floating-point numbers with it.)
     */
    private static final List<Pattern> LEFT_OUT = Stream.of(
            "software\\.amazon\\.awssdk\\.services\\.[a-z0-9]+\\.(model|transform|paginators|waiters)\\..+",
            "software\\.amazon\\.awssdk\\.services\\.[a-z0-9]+\\.(.+\\.)?[A-Za-z0-9]*Async[A-Za-z0-9$]*",
            "software\\.amazon\\.awssdk\\.core\\.(internal\\.)?(async|waiters)\\..+",
            "software\\.amazon\\.awssdk\\.utils\\.async\\..+",
            "software\\.amazon\\.awssdk\\.http\\.auth\\.aws"
                    + "\\.(crt|eventstream|internal\\.signer\\.chunkedencoding)\\..+",
            "software\\.amazon\\.eventstream\\..+",
            "software\\.amazon\\.awssdk\\.crt\\..+",
            "software\\.amazon\\.awssdk\\.services\\.[a-z0-9]+\\.internal\\.ServiceVersionInfo",
            "software\\.amazon\\.awssdk\\.(awscore\\.util\\.AwsHeader|core\\.util\\.VersionInfo|http\\.Header"
                    + "|http\\.HttpStatusCode|profiles\\.ProfileProperty"
                    + "|services\\.s3\\.internal\\.checksums\\.ChecksumConstant)",
            "software\\.amazon\\.awssdk\\.http\\.auth\\.scheme\\.BearerAuthScheme",
            "org\\.slf4j\\.event\\.EventConstants",
            "io\\.personalizeimport\\.lambdas\\.config\\.Staging",
            "io\\.personalizeimport\\.lambdas\\.events\\.OutcomeMetrics")
            .map(Pattern::compile).toList();

    private static final String SERVICE_METADATA = "software/amazon/awssdk/regions/servicemetadata/";

    /** A line of {@code jdeps -verbose:class}: {@code <class> -> <class it names> not found}. */
    private static final Pattern NOT_FOUND = Pattern.compile("^\\s+\\S+\\s+->\\s+(\\S+)\\s+not found$");

    private static Path jar(FunctionSettings function) {
        Path jar = SharedStack.repositoryRoot().resolve(function.packagePath());
        assertTrue(Files.isRegularFile(jar), jar + " is built by the lambdas module's package phase");
        return jar;
    }

    @ParameterizedTest
    @EnumSource(FunctionSettings.class)
    void eachPackage_shouldHoldItsHandlerAndOnlyTheUrlConnectionClient(FunctionSettings function)
            throws Exception {
        try (JarFile jar = new JarFile(jar(function).toFile())) {
            List<String> entries = jar.stream().map(ZipEntry::getName).toList();
            String handler = function.handler().substring(0, function.handler().indexOf("::")).replace('.', '/');

            assertTrue(entries.contains(handler + ".class"), handler);
            assertTrue(entries.contains("org/crac/Resource.class"), "SnapStart's runtime hooks (org.crac)");
            assertTrue(entries.stream()
                    .anyMatch(name -> name.startsWith("software/amazon/awssdk/http/urlconnection/")));
            // AWS SDK for Java 2.x Developer Guide, 'Reduce SDK startup time for AWS Lambda': apache-client and
            // netty-nio-client only add cold-start time
            assertTrue(entries.stream().noneMatch(name -> name.startsWith("software/amazon/awssdk/http/apache/")));
            assertTrue(entries.stream().noneMatch(name -> name.startsWith("software/amazon/awssdk/http/nio/netty/")));
            assertTrue(entries.stream().noneMatch(name -> name.startsWith("io/netty/")));
            assertTrue(entries.stream().noneMatch(name -> name.startsWith("org/joda/")),
                    "aws-lambda-java-events' Joda-Time");
            assertTrue(entries.stream().noneMatch(name -> name.startsWith("com/fasterxml/jackson/")),
                    "jackson-databind: the functions' JSON is JsonText's");
        }
    }

    @ParameterizedTest
    @EnumSource(FunctionSettings.class)
    void eachPackage_shouldHoldTheServiceMetadataOfTheFunctionsServicesAlone(FunctionSettings function)
            throws Exception {
        try (JarFile jar = new JarFile(jar(function).toFile())) {
            Set<String> metadata = jar.stream().map(ZipEntry::getName)
                    .filter(name -> name.startsWith(SERVICE_METADATA) && name.endsWith(".class"))
                    .map(name -> name.substring(SERVICE_METADATA.length(), name.length() - ".class".length()))
                    .collect(Collectors.toCollection(TreeSet::new));

            // The package's provider of service metadata is the functions' own, which knows their five services; the
            // SDK's would name all 300-odd.
            assertEquals(Set.of("DynamodbServiceMetadata", "EnhancedS3ServiceMetadata", "EventsServiceMetadata",
                    "PersonalizeServiceMetadata", "S3ServiceMetadata", "StatesServiceMetadata"), metadata);
            assertTrue(jar.getEntry("software/amazon/awssdk/regions/GeneratedServiceMetadataProvider.class").getSize()
                    < 4_000, "the functions' GeneratedServiceMetadataProvider, not the SDK's");
        }
    }

    @ParameterizedTest
    @EnumSource(FunctionSettings.class)
    void eachPackage_shouldStayWithinItsSizeBudget(FunctionSettings function) throws Exception {
        long size = Files.size(jar(function));
        System.out.printf("%s.jar: %.2f MB (budget %.0f MB)%n", function.functionName(), size / 1e6,
                function.maxPackageBytes() / 1e6);

        assertTrue(size <= function.maxPackageBytes(), () -> function.packagePath() + " is " + size + " bytes");
        assertTrue(function.maxPackageBytes() <= 8_000_000, "no function's budget is over 8 MB");
    }

    @ParameterizedTest
    @EnumSource(value = FunctionSettings.class, names = "DESCRIBE")
    void describePackage_shouldHoldPersonalizeAlone(FunctionSettings function) throws Exception {
        try (JarFile jar = new JarFile(jar(function).toFile())) {
            List<String> services = jar.stream().map(ZipEntry::getName)
                    .filter(name -> name.startsWith("software/amazon/awssdk/services/") && name.endsWith(".class"))
                    .map(name -> name.split("/")[4]).distinct().toList();

            assertEquals(List.of("personalize"), services);
            assertTrue(function.maxPackageBytes() <= 4_000_000, "the describe function's budget is 4 MB");
        }
    }

    /**
     * Every class that a class of the package names (jdeps, over constant pools and signatures) is in the package or
     * the JDK, or is one the package leaves out on purpose: a handler never loads what its package lacks.
     */
    @ParameterizedTest
    @EnumSource(FunctionSettings.class)
    void eachPackage_shouldLackNothingItsClassesNameButWhatItLeavesOut(FunctionSettings function) {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        StringWriter out = new StringWriter();
        int status = jdeps.run(new PrintWriter(out), new PrintWriter(out), "-verbose:class", "-filter:none",
                "--multi-release", "21", jar(function).toString());
        assertEquals(0, status, out::toString);

        Set<String> missing = new TreeSet<>();
        for (String line : out.toString().split("\n")) {
            Matcher notFound = NOT_FOUND.matcher(line.stripTrailing());
            if (notFound.matches() && LEFT_OUT.stream().noneMatch(left -> left.matcher(notFound.group(1)).matches())) {
                missing.add(notFound.group(1));
            }
        }
        assertEquals(Set.of(), missing, function.packagePath() + " names classes it does not hold");
    }
}
