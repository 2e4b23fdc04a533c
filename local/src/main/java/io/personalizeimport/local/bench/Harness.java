package io.personalizeimport.local.bench;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

/**
 * Runs one Lambda handler in a JVM of its own for {@code local/run bench}, on a classpath of the function's jar and the
 * harness's classes: {@code java -cp <function jar>:<harness> io.personalizeimport.local.bench.Harness <handler class>
 * [primed]}.
 *
 * <p>It builds the handler with its public no-arg constructor, as Lambda's runtime does at init, then invokes it once
 * for each line of standard input (one JSON event) and answers on standard output: {@code init <nanoseconds>} once,
 * then {@code invoked <nanoseconds> <output>} per event. With {@code primed}, between the two it runs the CRaC hooks
 * as the runtime interface client does with SnapStart (see {@link #prime}) and answers {@code primed <nanoseconds>
 * <classes loaded>}; the runtime interface client's jar is then on the classpath too. The handler's logs go to
 * standard error. A POJO handler's event and result go through the library Lambda's Java runtime interface client
 * uses for them (aws-lambda-java-serialization, then on the classpath too); a stream handler gets the bytes. The
 * functions read no {@code Context}, so they get none.
 *
 * <p>Only the JDK and the Lambda interfaces the function jar holds, and no lambdas or string concatenation, whose
 * bootstrap would count in the figures.
 */
public final class Harness {

    static final String PRIMED = "primed";
    /** The runtime interface client's CRaC context, to which org.crac's compatibility layer hands the resources. */
    static final String CRAC_PACKAGE = "com.amazonaws.services.lambda.crac";
    // Constants: javac joins them, so no string concatenation runs here.
    private static final String CRAC_CORE = CRAC_PACKAGE + ".Core";
    private static final String CRAC_CONTEXT = CRAC_PACKAGE + ".Context";
    /** Loads the runtime interface client's native library, where its context's DNS cache clearing lives. */
    static final String JNI_HELPER = "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.JniHelper";

    private Harness() {
    }

    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        PrintStream answers = System.out;
        // Before the handler's classes capture System.out for their logs.
        System.setOut(System.err);
        Object handler = Class.forName(args[0]).getConstructor().newInstance();
        Invoker invoker = handler instanceof RequestStreamHandler stream
                ? new StreamInvoker(stream) : PojoInvoker.of(handler);
        answers.print("init ");
        answers.println(System.nanoTime() - start);
        answers.flush();
        if (args.length > 1 && PRIMED.equals(args[1])) {
            prime(answers);
        }
        BufferedReader events = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String event = events.readLine(); event != null; event = events.readLine()) {
            long invoked = System.nanoTime();
            byte[] output = invoker.invoke(event.getBytes(StandardCharsets.UTF_8));
            long took = System.nanoTime() - invoked;
            answers.print("invoked ");
            answers.print(took);
            answers.print(' ');
            answers.println(new String(output, StandardCharsets.UTF_8));
            answers.flush();
        }
    }

    /**
     * What the runtime interface client does after init when {@code AWS_LAMBDA_INITIALIZATION_TYPE} is
     * {@code snap-start} ({@code AWSLambda.onInitComplete}): {@code Core.getGlobalContext().beforeCheckpoint(null)} of
     * its own CRaC package, which runs every registered resource's hook, newest first, then clears the DNS cache and
     * collects garbage; then, where Lambda would take the snapshot and later restore it,
     * {@code afterRestore(null)}. The JVM runs with {@code -Dorg.crac.Core.Compat=}{@value #CRAC_PACKAGE}, as Lambda's
     * Java runtimes start it, so org.crac's {@code Core.getGlobalContext().register(...)} lands in that context;
     * without it, on a JVM without CRaC, org.crac drops the resources and has nothing to call.
     */
    private static void prime(PrintStream answers) throws ReflectiveOperationException {
        ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
        Class.forName(JNI_HELPER).getMethod("load").invoke(null);
        Class<?> context = Class.forName(CRAC_CONTEXT);
        Object global = Class.forName(CRAC_CORE).getMethod("getGlobalContext").invoke(null);
        long loaded = classes.getTotalLoadedClassCount();
        long start = System.nanoTime();
        context.getMethod("beforeCheckpoint", context).invoke(global, (Object) null);
        long took = System.nanoTime() - start;
        long primedClasses = classes.getTotalLoadedClassCount() - loaded;
        context.getMethod("afterRestore", context).invoke(global, (Object) null);
        // In a class loading log, what comes after this class is what the first invocation loads (ClassLoadLog).
        Class.forName(FirstCallMark.class.getName());
        answers.print("primed ");
        answers.print(took);
        answers.print(' ');
        answers.println(primedClasses);
        answers.flush();
    }

    /** One invocation: the event's bytes in, the result's bytes out. */
    private interface Invoker {
        byte[] invoke(byte[] event) throws IOException;
    }

    private static final class StreamInvoker implements Invoker {

        private final RequestStreamHandler handler;

        StreamInvoker(RequestStreamHandler handler) {
            this.handler = handler;
        }

        @Override
        public byte[] invoke(byte[] event) throws IOException {
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(event), output, null);
            return output.toByteArray();
        }
    }

    /** A {@code RequestHandler<I, O>}, its event and result serialized as the runtime interface client does. */
    private static final class PojoInvoker implements Invoker {

        private final RequestHandler<Object, Object> handler;
        private final PojoSerializer<Object> input;
        private final PojoSerializer<Object> output;

        private PojoInvoker(RequestHandler<Object, Object> handler, PojoSerializer<Object> input,
                            PojoSerializer<Object> output) {
            this.handler = handler;
            this.input = input;
            this.output = output;
        }

        @SuppressWarnings("unchecked")
        static Invoker of(Object handler) {
            Type[] types = requestHandlerTypes(handler.getClass());
            ClassLoader loader = handler.getClass().getClassLoader();
            return new PojoInvoker((RequestHandler<Object, Object>) handler, serializer(types[0], loader),
                    serializer(types[1], loader));
        }

        @Override
        public byte[] invoke(byte[] event) {
            Object result = handler.handleRequest(input.fromJson(new ByteArrayInputStream(event)), null);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            output.toJson(result, bytes);
            return bytes.toByteArray();
        }

        /** As the runtime interface client picks it: Lambda's own for its event types, else Jackson. */
        @SuppressWarnings("unchecked")
        private static PojoSerializer<Object> serializer(Type type, ClassLoader loader) {
            if (type instanceof Class<?> events && LambdaEventSerializers.isLambdaSupportedEvent(events.getName())) {
                return (PojoSerializer<Object>) LambdaEventSerializers.serializerFor(events, loader);
            }
            return JacksonFactory.getInstance().getSerializer(type);
        }

        private static Type[] requestHandlerTypes(Class<?> type) {
            for (Type candidate : type.getGenericInterfaces()) {
                if (candidate instanceof ParameterizedType generic && generic.getRawType() == RequestHandler.class) {
                    return generic.getActualTypeArguments();
                }
            }
            throw new IllegalArgumentException(type.getName()
                    + " implements neither RequestStreamHandler nor RequestHandler<I, O> itself");
        }
    }

    /** Loaded once priming is over, so that a class loading log shows where the first invocation starts. */
    static final class FirstCallMark {

        private FirstCallMark() {
        }
    }
}
