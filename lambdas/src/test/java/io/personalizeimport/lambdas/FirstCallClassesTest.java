package io.personalizeimport.lambdas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Priming's list of the classes a first invocation loads: read from the function's resource, loaded by name. */
class FirstCallClassesTest {

    @Test
    void namesOfAListWithAnOlderName_shouldLoadTheOthersAndReportTheOlderOne() {
        FirstCallClasses.Loaded loaded = FirstCallClasses.load(List.of(
                "software.amazon.awssdk.services.personalize.model.DescribeDatasetImportJobResponse",
                "software.amazon.awssdk.services.personalize.model.NoSuchShape"), getClass().getClassLoader());

        assertEquals(1, loaded.loaded());
        assertEquals(List.of("software.amazon.awssdk.services.personalize.model.NoSuchShape"), loaded.failed());
    }

    @Test
    void eachFunctionsList_shouldNameOnlyClassesTheFunctionsCanLoad() {
        for (FunctionSettings function : FunctionSettings.values()) {
            List<String> names = FirstCallClasses.names(function);

            FirstCallClasses.Loaded loaded = FirstCallClasses.load(names, getClass().getClassLoader());

            assertEquals(List.of(), loaded.failed(), FirstCallClasses.resource(function)
                    + " names classes that are gone: record it again (docs/performance.md)");
            assertTrue(names.stream().noneMatch(name -> name.startsWith("#") || name.isBlank()));
        }
    }

    @Test
    void switchedOff_shouldLoadNothing() {
        System.setProperty(FirstCallClasses.SWITCH, "off");
        try {
            FirstCallClasses.Loaded loaded = FirstCallClasses.load(FunctionSettings.TRIGGER);

            assertEquals(new FirstCallClasses.Loaded(0, List.of()), loaded);
        } finally {
            System.clearProperty(FirstCallClasses.SWITCH);
        }
    }
}
