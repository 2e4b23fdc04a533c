package io.personalizeimport.lambdas;

import io.personalizeimport.lambdas.aws.EventPublisher;
import io.personalizeimport.lambdas.config.PipelineConfig;
import io.personalizeimport.lambdas.config.RouteTable;
import io.personalizeimport.lambdas.domain.PollPolicy;
import io.personalizeimport.lambdas.ledger.LedgerTable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment variables of each function, from the pipeline's settings: the one contract that the CDK stack and
 * the local stack both fill, and that {@link PipelineConfig#from} and {@link PollPolicy#from} read back.
 *
 * @param routesJson the {@value RouteTable#VARIABLE} JSON array
 * @param ledgerTable the name of the import ledger's DynamoDB table ({@value LedgerTable#VARIABLE})
 * @param eventBusName the bus outcome events go to ({@value EventPublisher#BUS_VARIABLE})
 * @param priming what SnapStart priming reads in the functions' account and region ({@link Priming.Targets#from})
 * @param maxImportJobs the most import jobs the pipeline runs at once in its region
 *     ({@value PipelineConfig#MAX_IMPORT_JOBS})
 */
public record FunctionEnvironment(String dataBucket, String routesJson, String importRoleArn, boolean preflight,
                                  PollPolicy pollPolicy, String ledgerTable, String eventBusName,
                                  Priming.Targets priming, int maxImportJobs) {

    /**
     * The variables of {@code function}. The trigger also needs {@code STATE_MACHINE_ARN}, which only exists once the
     * state machine does, so its caller adds it.
     */
    public Map<String, String> variables(FunctionSettings function) {
        Map<String, String> variables = new LinkedHashMap<>();
        if (function != FunctionSettings.DESCRIBE) {
            variables.put(PipelineConfig.DATA_BUCKET, dataBucket);
            variables.put(RouteTable.VARIABLE, routesJson);
            variables.put(PipelineConfig.IMPORT_ROLE_ARN, importRoleArn);
            variables.put(PipelineConfig.PREFLIGHT, Boolean.toString(preflight));
            variables.put(PipelineConfig.MAX_IMPORT_JOBS, Integer.toString(maxImportJobs));
            variables.put(LedgerTable.VARIABLE, ledgerTable);
            variables.put(EventPublisher.BUS_VARIABLE, eventBusName);
            variables.put(Priming.EXECUTION_ARN, priming.executionArn());
        }
        variables.put(Priming.IMPORT_JOB_ARN, priming.importJobArn());
        if (function != FunctionSettings.TRIGGER) {
            // The tasks end a monitor at the deadline too, when transient errors keep them from their work.
            variables.put(PollPolicy.POLL_INITIAL_SECONDS, Long.toString(pollPolicy.initial().toSeconds()));
            variables.put(PollPolicy.POLL_MAX_SECONDS, Long.toString(pollPolicy.max().toSeconds()));
            variables.put(PollPolicy.MONITOR_DEADLINE, pollPolicy.deadline().toString());
        }
        return variables;
    }
}
