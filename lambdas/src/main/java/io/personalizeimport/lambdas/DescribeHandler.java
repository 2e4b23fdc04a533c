package io.personalizeimport.lambdas;

import io.personalizeimport.lambdas.aws.ClientFactory;
import io.personalizeimport.lambdas.aws.DeletionJobWatch;
import io.personalizeimport.lambdas.aws.ImportJobWatch.Observation;
import io.personalizeimport.lambdas.aws.ImportJobWatch;
import io.personalizeimport.lambdas.config.Environment;
import io.personalizeimport.lambdas.domain.PollPolicy;
import java.time.Clock;
import software.amazon.awssdk.services.personalize.PersonalizeClient;

/**
 * The "Describe import job" and "Describe deletion job" tasks: one look at the job and when to look again
 * ({@link ImportJobWatch}, {@link DeletionJobWatch}).
 */
public final class DescribeHandler extends TaskHandler<DescribeHandler.Task, Record> {

    private final ImportJobWatch watch;
    private final DeletionJobWatch deletions;

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
        this.deletions = new DeletionJobWatch(personalize, policy, clock);
    }

    /** The task's input: the execution's state and its start ({@code $$.Execution.StartTime}). */
    public record Task(State input, String executionStartTime) {
    }

    /**
     * What the task reads of the execution's state: the import or data deletion job, the previous observation
     * ({@code $.monitor}) and the file, from the trigger's {@code source} or the {@code createRequest}.
     */
    public record State(String datasetImportJobArn, String dataDeletionJobArn, Monitor monitor, Source source,
                        Request createRequest) {

        public State(String datasetImportJobArn, Observation monitor, Source source, Request createRequest) {
            this(datasetImportJobArn, null, monitor == null || monitor.datasetImportJob() == null ? null
                    : new Monitor(new Polled(monitor.datasetImportJob().polls()), null), source, createRequest);
        }
    }

    /** The previous observation, of whichever job the execution follows. */
    public record Monitor(Polled datasetImportJob, Polled dataDeletionJob) {
    }

    /** How many times the job was described before. */
    public record Polled(long polls) {
    }

    /** The file of a lane's import. */
    public record Source(String key) {
    }

    /** What an import was asked to read. */
    public record Request(String dataLocation) {
    }

    @Override
    protected Record run(Task task) {
        State state = task.input() == null ? new State(null, null, null, null) : task.input();
        String file = state.source() != null && state.source().key() != null ? state.source().key()
                : state.createRequest() == null ? null : state.createRequest().dataLocation();
        Monitor monitor = state.monitor() == null ? new Monitor(null, null) : state.monitor();
        if (state.dataDeletionJobArn() != null) {
            return deletions.observe(state.dataDeletionJobArn(), file,
                    monitor.dataDeletionJob() == null ? 0 : monitor.dataDeletionJob().polls(),
                    executionStart(task.executionStartTime(), true));
        }
        return watch.observe(state.datasetImportJobArn(), file,
                monitor.datasetImportJob() == null ? 0 : monitor.datasetImportJob().polls(),
                executionStart(task.executionStartTime(), true));
    }
}
