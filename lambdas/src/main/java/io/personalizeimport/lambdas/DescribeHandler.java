package io.personalizeimport.lambdas;

import io.personalizeimport.lambdas.aws.ClientFactory;
import io.personalizeimport.lambdas.aws.ImportJobWatch.Observation;
import io.personalizeimport.lambdas.aws.ImportJobWatch;
import io.personalizeimport.lambdas.config.Environment;
import io.personalizeimport.lambdas.domain.PollPolicy;
import java.time.Clock;
import software.amazon.awssdk.services.personalize.PersonalizeClient;

/** The "Describe import job" task: one look at the job and when to look again ({@link ImportJobWatch}). */
public final class DescribeHandler extends TaskHandler<DescribeHandler.Task, Observation> {

    private final ImportJobWatch watch;

    public DescribeHandler() {
        this(Environment.system());
    }

    private DescribeHandler(Environment env) {
        this(ClientFactory.forFunction(FunctionSettings.DESCRIBE, env).build(PersonalizeClient.builder(),
                "PERSONALIZE"), PollPolicy.from(env), Clock.systemUTC());
        Priming.register(Priming.describe(this, watch, env));
    }

    public DescribeHandler(PersonalizeClient personalize, PollPolicy policy, Clock clock) {
        super("describe", Task.class);
        this.watch = new ImportJobWatch(personalize, policy, clock);
    }

    /** The task's input: the execution's state and its start ({@code $$.Execution.StartTime}). */
    public record Task(State input, String executionStartTime) {
    }

    /**
     * What the task reads of the execution's state: the job, the previous observation ({@code $.monitor}) and the file,
     * from the trigger's {@code source} or the {@code createRequest}.
     */
    public record State(String datasetImportJobArn, Observation monitor, Source source, Request createRequest) {
    }

    /** The file of a lane's import. */
    public record Source(String key) {
    }

    /** What an import was asked to read. */
    public record Request(String dataLocation) {
    }

    @Override
    protected Observation run(Task task) {
        State state = task.input() == null ? new State(null, null, null, null) : task.input();
        long pollsBefore = state.monitor() == null || state.monitor().datasetImportJob() == null ? 0
                : state.monitor().datasetImportJob().polls();
        String file = state.source() != null && state.source().key() != null ? state.source().key()
                : state.createRequest() == null ? null : state.createRequest().dataLocation();
        return watch.observe(state.datasetImportJobArn(), file, pollsBefore,
                executionStart(task.executionStartTime(), true));
    }
}
