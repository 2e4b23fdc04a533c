package io.personalizeimport.infra;

import static io.personalizeimport.infra.Cfn.allow;
import static io.personalizeimport.infra.Cfn.arnOf;
import static io.personalizeimport.infra.Cfn.primingExecution;
import static io.personalizeimport.infra.Cfn.primingImportJob;
import static io.personalizeimport.infra.Cfn.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.lambdas.FunctionSettings;
import io.personalizeimport.lambdas.Priming;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Capture;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * Each function deploys its own package, the one the lambdas module built for it (the reactor builds lambdas before
 * infra, which depends on it), within its size budget, with SnapStart on its published versions and what its priming
 * reads.
 */
class FunctionPackagesTest {

    private static Synthesized synth;
    private static Template template;
    private static Path assembly;

    @BeforeAll
    static void synthesize() {
        synth = Synthesized.of(Synthesized.DEFAULTS);
        template = synth.template();
        assembly = Path.of(((App) synth.stack().getNode().getRoot()).synth().getDirectory());
    }

    private static String id(FunctionSettings function) {
        return Functions.idOf(function);
    }

    /** The file the function's Code names in the cloud assembly, which CDK uploads as its deployment package. */
    private static Path asset(FunctionSettings function) {
        Capture key = new Capture();
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Handler", function.handler(),
                "Code", Match.objectLike(Map.of("S3Key", key)))));
        return assembly.resolve("asset." + key.asString());
    }

    @ParameterizedTest
    @EnumSource(FunctionSettings.class)
    void eachFunction_shouldDeployItsOwnPackage(FunctionSettings function) throws IOException {
        Path built = RepositoryPaths.locate().functionPackage(function);

        assertEquals(-1L, Files.mismatch(asset(function), built), function + " deploys " + asset(function));
    }

    @Test
    void theFunctionsOfTheLane_shouldDeployOnePackageAndDescribeItsOwn() {
        // The lane's rules are wired once for every function that moves a lane on, so their packages hold the same
        // classes and CDK uploads one asset for them; describe calls Personalize alone.
        Path imports = asset(FunctionSettings.TRIGGER);
        for (FunctionSettings function : List.of(FunctionSettings.CREATE, FunctionSettings.FINISH,
                FunctionSettings.RECOVER)) {
            assertEquals(imports, asset(function), function + " deploys another package");
        }
        assertNotEquals(imports, asset(FunctionSettings.DESCRIBE));
    }

    @ParameterizedTest
    @EnumSource(FunctionSettings.class)
    void eachPackage_shouldStayWithinItsSizeBudget(FunctionSettings function) throws IOException {
        long size = Files.size(asset(function));

        assertTrue(size <= function.maxPackageBytes(), () -> function + "'s package is " + size + " bytes, its budget "
                + function.maxPackageBytes());
    }

    @ParameterizedTest
    @EnumSource(FunctionSettings.class)
    void eachFunction_shouldSnapStartItsPublishedVersionsAndNameWhatItsPrimingReads(FunctionSettings function) {
        boolean imports = function != FunctionSettings.DESCRIBE;
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Handler", function.handler(),
                "SnapStart", Map.of("ApplyOn", "PublishedVersions"),
                "Environment", Map.of("Variables", Match.objectLike(Map.of(
                        Priming.IMPORT_JOB_ARN, primingImportJob(),
                        Priming.EXECUTION_ARN, imports ? primingExecution() : Match.absent()))))));
    }

    @ParameterizedTest
    @EnumSource(value = FunctionSettings.class, names = {"TRIGGER", "CREATE", "FINISH", "RECOVER"})
    void importFunctions_shouldDescribeOnlyThePrimingExecutionAndTheMonitorsOwn(FunctionSettings function) {
        // Priming describes an execution that never exists; the lanes describe the import monitor's executions, to
        // tell whether the one that holds a lane still runs. Nothing else.
        String role = synth.logicalId(id(function) + "Role", "AWS::IAM::Role");
        template.hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of(
                "Roles", List.of(ref(role)),
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(
                        allow("states:DescribeExecution", primingExecution()))))))));
        Object monitors = Cfn.executions(synth.logicalId("ImportMonitor", "AWS::StepFunctions::StateMachine"));
        assertTrue(synth.statementsOf(id(function) + "Role").stream()
                .filter(statement -> String.valueOf(statement.get("Action")).contains("states:DescribeExecution"))
                .allMatch(statement -> primingExecution().equals(statement.get("Resource"))
                        || monitors.equals(statement.get("Resource"))), role);
    }

    @Test
    void describeFunction_shouldPrimeWithTheJobsItMayAlreadyDescribe() {
        // Its role describes any import job of the account and region; priming's job is one of them and never exists.
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Handler", FunctionSettings.DESCRIBE.handler(),
                "Role", arnOf(synth.logicalId("DescribeRole", "AWS::IAM::Role")))));
        assertTrue(synth.statementsOf("DescribeRole").stream()
                .noneMatch(statement -> String.valueOf(statement.get("Action")).startsWith("states:")));
    }
}
