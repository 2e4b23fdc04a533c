package io.personalizeimport.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.personalizeimport.lambdas.FunctionSettings;
import io.personalizeimport.lambdas.Priming;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
     * constants only, which javac copies into the classes that read them (Jackson's JsonTokenId and the NULL_KEY of
     * Jsr310NullKeySerializer among them). Which shapes each package keeps is checked below, against the operations
     * the functions call.
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
            "com\\.fasterxml\\.jackson\\.core\\.JsonTokenId",
            "com\\.fasterxml\\.jackson\\.datatype\\.jsr310\\.ser\\.key\\.Jsr310NullKeySerializer",
            "io\\.personalizeimport\\.lambdas\\.config\\.Staging",
            // Joda-Time's optional joda-convert annotations, and a class of int constants that the compiler inlines.
            "org\\.joda\\.convert\\.(FromString|ToString)",
            "org\\.joda\\.time\\.DateTimeConstants",
            "io\\.personalizeimport\\.lambdas\\.events\\.OutcomeMetrics",
            // Named by the publish function's code only for their String constants, which the compiler inlines.
            "io\\.personalizeimport\\.lambdas\\.events\\.(EventDetail|ImportEnded)",
            // Lambda's Java runtime holds aws-lambda-java-serialization; priming runs it, a step that fails without it.
            "com\\.amazonaws\\.services\\.lambda\\.runtime\\.serialization\\..+")
            .map(Pattern::compile).toList();

    private static final String SERVICE_METADATA = "software/amazon/awssdk/regions/servicemetadata/";

    /** A line of {@code jdeps -verbose:class}: {@code <class> -> <class it names> not found}. */
    private static final Pattern NOT_FOUND = Pattern.compile("^\\s+\\S+\\s+->\\s+(\\S+)\\s+not found$");
    /** A line of {@code jdeps -verbose:class}: {@code <class> -> <class it names> <where that is>}. */
    private static final Pattern DEPENDENCY = Pattern.compile("^\\s+(\\S+)\\s+->\\s+(\\S+)\\s+.+$");
    /** A class that lambdas/pom.xml keeps or leaves out by name: a service's shape or marshaller. */
    private static final Pattern SHAPE =
            Pattern.compile("software\\.amazon\\.awssdk\\.services\\.[a-z0-9]+\\.(model|transform)\\..+");
    /** The request of an operation, or its builder: the service and the operation. */
    private static final Pattern OPERATION_REQUEST = Pattern.compile(
            "software\\.amazon\\.awssdk\\.services\\.([a-z0-9]+)\\.model\\.([A-Za-z0-9]+)Request(\\$Builder)?");

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
            // The trigger's S3Event and the recovery function's ScheduledEvent carry Joda-Time times, which the Lambda
            // runtime fills; their package is the one every function of the lane deploys.
            assertTrue(function == FunctionSettings.DESCRIBE || entries.contains("org/joda/time/DateTime.class"),
                    "aws-lambda-java-events' Joda-Time");
            assertTrue(entries.contains("com/fasterxml/jackson/databind/ObjectMapper.class"),
                    "jackson-databind: the functions' JSON (io.personalizeimport.lambdas.json.Json)");
        }
    }

    @ParameterizedTest
    @EnumSource(FunctionSettings.class)
    void eachPackage_shouldHoldTheSdksOwnServiceMetadata(FunctionSettings function) throws Exception {
        try (JarFile jar = new JarFile(jar(function).toFile())) {
            List<String> entries = jar.stream().map(ZipEntry::getName).toList();

            // The SDK's provider creates the metadata of every service it knows, so every one of them is reachable.
            assertTrue(entries.contains("software/amazon/awssdk/regions/GeneratedServiceMetadataProvider.class"));
            for (String service : List.of("Personalize", "S3", "States", "Dynamodb", "Events")) {
                assertTrue(entries.contains(SERVICE_METADATA + service + "ServiceMetadata.class"), service);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(FunctionSettings.class)
    void eachPackage_shouldStayWithinItsSizeBudget(FunctionSettings function) throws Exception {
        long size = Files.size(jar(function));
        System.out.printf("%s.jar: %.2f MB (budget %.0f MB)%n", function.functionName(), size / 1e6,
                function.maxPackageBytes() / 1e6);

        assertTrue(size <= function.maxPackageBytes(), () -> function.packagePath() + " is " + size + " bytes");
        assertTrue(function.maxPackageBytes() <= 12_000_000, "no function's budget is over 12 MB");
    }

    @ParameterizedTest
    @EnumSource(value = FunctionSettings.class, names = "DESCRIBE")
    void describePackage_shouldHoldPersonalizeAlone(FunctionSettings function) throws Exception {
        try (JarFile jar = new JarFile(jar(function).toFile())) {
            List<String> services = jar.stream().map(ZipEntry::getName)
                    .filter(name -> name.startsWith("software/amazon/awssdk/services/") && name.endsWith(".class"))
                    .map(name -> name.split("/")[4]).distinct().toList();

            assertEquals(List.of("personalize"), services);
            assertTrue(function.maxPackageBytes() <= 8_000_000, "the describe function's budget is 8 MB");
        }
    }

    /** What {@code jdeps -verbose:class} reports of each package, read once. */
    private static final Map<FunctionSettings, List<String>> JDEPS = new ConcurrentHashMap<>();

    private static List<String> jdeps(FunctionSettings function) {
        return JDEPS.computeIfAbsent(function, f -> {
            ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
            StringWriter out = new StringWriter();
            int status = jdeps.run(new PrintWriter(out), new PrintWriter(out), "-verbose:class", "-filter:none",
                    "--multi-release", "21", jar(f).toString());
            assertEquals(0, status, out::toString);
            return out.toString().lines().map(String::stripTrailing).toList();
        });
    }

    /**
     * Every class that a class of the package names (jdeps, over constant pools and signatures) is in the package or
     * the JDK, or is one the package leaves out on purpose: a handler never loads what its package lacks.
     */
    @ParameterizedTest
    @EnumSource(FunctionSettings.class)
    void eachPackage_shouldLackNothingItsClassesNameButWhatItLeavesOut(FunctionSettings function) {
        Set<String> missing = new TreeSet<>();
        for (String line : jdeps(function)) {
            Matcher notFound = NOT_FOUND.matcher(line);
            if (notFound.matches() && LEFT_OUT.stream().noneMatch(left -> left.matcher(notFound.group(1)).matches())) {
                missing.add(notFound.group(1));
            }
        }
        assertEquals(Set.of(), missing, function.packagePath() + " names classes it does not hold");
    }

    /**
     * The shapes and marshallers that lambdas/pom.xml keeps of each service are enough for every operation the
     * functions' own code calls: for each request class that code names, the package holds the request, its response
     * and its marshaller, and every model or marshaller class these name, transitively. So an SDK upgrade that gives an
     * operation a new shape fails here, not in a function, when the pom's lists do not keep it.
     */
    @ParameterizedTest
    @EnumSource(FunctionSettings.class)
    void eachPackage_shouldHoldAllThatTheOperationsItsCodeCallsNeed(FunctionSettings function) throws Exception {
        Set<String> held;
        try (JarFile jar = new JarFile(jar(function).toFile())) {
            held = jar.stream().map(ZipEntry::getName).filter(name -> name.endsWith(".class"))
                    .map(name -> name.substring(0, name.length() - ".class".length()).replace('/', '.'))
                    .collect(Collectors.toSet());
        }
        Map<String, Set<String>> names = new HashMap<>();
        for (String line : jdeps(function)) {
            Matcher dependency = DEPENDENCY.matcher(line);
            if (dependency.matches()) {
                names.computeIfAbsent(dependency.group(1), from -> new TreeSet<>()).add(dependency.group(2));
            }
        }
        Set<String> operations = new TreeSet<>();
        Deque<String> needed = new ArrayDeque<>();
        names.forEach((from, targets) -> {
            if (from.startsWith("io.personalizeimport.")) {
                for (String target : targets) {
                    Matcher operation = OPERATION_REQUEST.matcher(target);
                    if (operation.matches()) {
                        String service = "software.amazon.awssdk.services." + operation.group(1);
                        operations.add(operation.group(1) + " " + operation.group(2));
                        needed.add(service + ".model." + operation.group(2) + "Response");
                        needed.add(service + ".transform." + operation.group(2) + "RequestMarshaller");
                    }
                    if (SHAPE.matcher(target).matches()) {
                        needed.add(target);
                    }
                }
            }
        });
        Set<String> seen = new HashSet<>();
        Set<String> missing = new TreeSet<>();
        while (!needed.isEmpty()) {
            String shape = needed.pop();
            if (!seen.add(shape)) {
                continue;
            }
            if (!held.contains(shape)) {
                missing.add(shape);
                continue;
            }
            names.getOrDefault(shape, Set.of()).stream().filter(target -> SHAPE.matcher(target).matches())
                    .forEach(needed::add);
        }

        assertTrue(operations.contains("personalize DescribeDatasetImportJob"), operations::toString);
        assertEquals(Set.of(), missing, function.packagePath() + " lacks what the operations " + operations
                + " need: keep them in lambdas/pom.xml's filters");
    }

    /**
     * Jackson loads serializers and deserializers reflectively, which minimizeJar cannot see: the describe function,
     * run from its package alone on a JVM of its own, reads its task and writes its observation.
     */
    @Test
    void describePackage_shouldReadItsTaskAndWriteItsObservationWithTheJacksonItHolds(@TempDir Path dir)
            throws Exception {
        String jobArn = "arn:aws:personalize:us-east-1:123456789012:dataset-import-job/users-u-1";
        List<String> requests = new CopyOnWriteArrayList<>();
        HttpServer personalize = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        personalize.createContext("/", exchange -> {
            requests.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] body = ("{\"datasetImportJob\":{\"jobName\":\"users-u-1\",\"datasetImportJobArn\":\"" + jobArn
                    + "\",\"datasetArn\":\"arn:aws:personalize:us-east-1:123456789012:dataset/shop/USERS\","
                    + "\"dataSource\":{\"dataLocation\":\"s3://b/users/u.csv\"},\"status\":\"ACTIVE\","
                    + "\"importMode\":\"FULL\",\"creationDateTime\":1.7E9,\"lastUpdatedDateTime\":1.7000006E9}}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        personalize.start();
        try {
            Path runner = Files.writeString(dir.resolve("Describe.java"), """
                    public class Describe {
                        public static void main(String[] args) throws Exception {
                            try (var output = java.nio.file.Files.newOutputStream(java.nio.file.Path.of(args[0]))) {
                                new io.personalizeimport.lambdas.DescribeHandler().handleRequest(System.in, output, null);
                            }
                        }
                    }
                    """);
            Path output = dir.resolve("output.json");
            ProcessBuilder java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", jar(FunctionSettings.DESCRIBE).toString(), runner.toString(), output.toString())
                    .redirectErrorStream(true);
            java.environment().keySet().removeIf(name -> name.startsWith("AWS_"));
            java.environment().putAll(Map.of("AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE",
                    "AWS_SECRET_ACCESS_KEY", "secret", "AWS_ENDPOINT_URL_PERSONALIZE",
                    "http://127.0.0.1:" + personalize.getAddress().getPort(), Priming.IMPORT_JOB_ARN,
                    "arn:aws:personalize:us-east-1:123456789012:dataset-import-job/" + Priming.NAME));
            Process process = java.start();
            try (var input = process.getOutputStream()) {
                input.write(("{\"input\":{\"datasetImportJobArn\":\"" + jobArn + "\",\"source\":{\"key\":"
                        + "\"users/u.csv\"},\"monitor\":{\"datasetImportJob\":{\"polls\":4}}},"
                        + "\"executionStartTime\":\"" + Instant.now().minusSeconds(30) + "\"}")
                        .getBytes(StandardCharsets.UTF_8));
            }
            String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(2, TimeUnit.MINUTES), log);
            assertEquals(0, process.exitValue(), log);

            assertEquals(List.of("{\"datasetImportJobArn\":\"" + jobArn + "\"}"), requests);
            JsonNode observation = new ObjectMapper().readTree(output.toFile());
            JsonNode job = observation.path("datasetImportJob");
            assertEquals("ACTIVE", job.path("status").asText(), observation::toString);
            assertEquals(5, job.path("polls").asLong(), observation::toString);
            assertEquals("2023-11-14T22:13:20Z", job.path("creationDateTime").asText(), observation::toString);
            assertTrue(observation.path("nextWaitSeconds").isIntegralNumber(), observation::toString);
            assertFalse(job.has("failureReason") || observation.has("cause"), observation::toString);
            assertTrue(log.contains("\"message\":\"Import job is ACTIVE\""), log);
        } finally {
            personalize.stop(0);
        }
    }
}
