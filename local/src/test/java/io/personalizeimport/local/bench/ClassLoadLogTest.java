package io.personalizeimport.local.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A function JVM's class loading log, read for the classes its first invocation loaded after priming. */
class ClassLoadLogTest {

    private static final String HANDLER = "io.personalizeimport.lambdas.TriggerHandler";
    private static final String MARK = Harness.FirstCallMark.class.getName();

    @TempDir
    Path dir;

    @Test
    void aPrimedJvmsLog_shouldGiveTheClassesLoadedFromJarsOrInitializedAfterTheMark() throws Exception {
        Path log = write("""
                [0.010s][info][class,load] java.lang.Object source: shared objects file
                [0.200s][info][class,load] io.personalizeimport.lambdas.TriggerHandler source: file:/fn/trigger.jar
                [0.300s][info][class,load] software.amazon.awssdk.core.SdkBytes source: file:/fn/trigger.jar
                [0.301s][info][class,load] software.amazon.awssdk.services.s3.model.GetObjectResponse source: file:/fn/trigger.jar
                [0.900s][info][class,load] %1$s source: file:/repo/local/target/classes/
                [0.900s][info][class,init] 900 Initializing '%2$s' (0x0000000801000000) by thread "main"
                [0.910s][info][class,load] software.amazon.awssdk.services.s3.model.HeadObjectResponse source: file:/fn/trigger.jar
                [0.911s][info][class,init] 901 Initializing 'software/amazon/awssdk/services/s3/model/GetObjectResponse' (0x0000000801001000) by thread "main"
                [0.911s][info][class,load] java.util.concurrent.ConcurrentSkipListMap source: jrt:/java.base
                [0.911s][info][class,init] 902 Initializing 'java/util/concurrent/ConcurrentSkipListMap' (0x0000000801002000) by thread "main"
                [0.912s][info][class,load] software.amazon.awssdk.services.s3.model.GetObjectResponse$$Lambda/0x0000000801001234 source: software.amazon.awssdk.services.s3.model.GetObjectResponse
                [0.912s][info][class,init] 903 Initializing 'software/amazon/awssdk/services/s3/model/GetObjectResponse$$Lambda+0x0000000801001234'(no method) (0x0000000801001234) by thread "main"
                [0.913s][info][class,load] io.personalizeimport.local.bench.Harness$PojoInvoker source: file:/repo/local/target/classes/
                [0.914s][info][class,load] com.fasterxml.jackson.core.JsonToken source: jar:file:/fn/lib/jackson-core.jar!/
                [0.915s][info][class,init] 904 Initializing 'com/fasterxml/jackson/core/JsonToken' (0x0000000801003000) by thread "main"
                """.formatted(MARK, MARK.replace('.', '/')));

        Optional<ClassLoadLog> read = ClassLoadLog.read(log, Set.of(HANDLER));

        assertEquals(Optional.of(new ClassLoadLog(HANDLER, List.of(
                "software.amazon.awssdk.services.s3.model.HeadObjectResponse",
                "software.amazon.awssdk.services.s3.model.GetObjectResponse",
                "com.fasterxml.jackson.core.JsonToken"))), read);
    }

    @Test
    void anUnprimedJvmsLog_shouldGiveNothing() throws Exception {
        Path log = write("""
                [0.200s][info][class,load] io.personalizeimport.lambdas.TriggerHandler source: file:/fn/trigger.jar
                [0.300s][info][class,load] software.amazon.awssdk.core.SdkBytes source: file:/fn/trigger.jar
                """);

        assertEquals(Optional.empty(), ClassLoadLog.read(log, Set.of(HANDLER)));
    }

    private Path write(String text) throws Exception {
        Path log = dir.resolve("1234.log");
        Files.writeString(log, text);
        return log;
    }
}
