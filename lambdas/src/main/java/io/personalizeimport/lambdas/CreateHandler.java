package io.personalizeimport.lambdas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.personalizeimport.lambdas.aws.AwsCallException;
import io.personalizeimport.lambdas.aws.ErrorKind;
import io.personalizeimport.lambdas.config.Environment;
import io.personalizeimport.lambdas.domain.MonitorInput;
import io.personalizeimport.lambdas.domain.PollPolicy;
import io.personalizeimport.lambdas.errors.InvalidImportRequestException;
import io.personalizeimport.lambdas.errors.MonitorDeadlineExceededException;
import io.personalizeimport.lambdas.config.DeletionRoute;
import io.personalizeimport.lambdas.lane.OperatorImports;
import io.personalizeimport.lambdas.lane.OperatorRequest;
import java.util.Optional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * The "Create import job" and "Create deletion job" tasks: creates the job of an execution that started without one
 * ({@link OperatorImports}, {@link io.personalizeimport.lambdas.lane.Deletions#create}).
 */
public final class CreateHandler extends TaskHandler<CreateHandler.Task, MonitorInput> {

    /** The errors the state machine retries until the monitor deadline. */
    private static final Set<ErrorKind> RETRIED_UNTIL_DEADLINE = EnumSet.of(ErrorKind.TRANSIENT,
            ErrorKind.DATASET_BUSY, ErrorKind.JOB_LIMIT);

    private final Pipeline pipeline;
    private final PollPolicy policy;
    private final Clock clock;

    public CreateHandler() {
        this(Environment.system());
    }

    private CreateHandler(Environment env) {
        this(Pipeline.from(FunctionSettings.CREATE, env), PollPolicy.from(env), Clock.systemUTC());
        Priming.register(ImportPriming.create(this, pipeline, env));
    }

    public CreateHandler(Pipeline pipeline, PollPolicy policy, Clock clock) {
        super("create", Task.class);
        this.pipeline = pipeline;
        this.policy = policy;
        this.clock = clock;
    }

    /**
     * The task's input: the execution's state (a queued import's {@code createRequest}, or an operator's request) and
     * the execution's context.
     */
    public record Task(JsonNode input, String executionName, String executionStartTime, String stateMachineArn) {
    }

    @Override
    protected MonitorInput run(Task task) {
        if (task.stateMachineArn() == null || task.stateMachineArn().isEmpty()) {
            throw new InvalidImportRequestException("The create task's input has no stateMachineArn: expected the "
                    + "state machine to pass $$.StateMachine.Id (update the state machine definition)");
        }
        Pipeline.Core core = pipeline.core(task.stateMachineArn());
        OperatorImports imports = core.operatorImports();
        JsonNode state = task.input() == null ? NullNode.getInstance() : task.input();
        if (ExecutionStates.isDeletion(state)) {
            return core.deletions().create(ExecutionStates.deletion(state));
        }
        if (ExecutionStates.isQueued(state)) {
            ExecutionStates.Queued queued = ExecutionStates.queued(state);
            return imports.create(queued.request(), queued.source(), queued.lane(), null);
        }
        OperatorRequest request = ExecutionStates.operatorRequest(state);
        String executionName = task.executionName() == null ? "" : task.executionName();
        Instant started = executionStart(task.executionStartTime(), false);
        if (request instanceof OperatorRequest.ForObject object && object.key() != null) {
            Optional<DeletionRoute> deletion = pipeline.config().routes().matchDeletion(object.key());
            if (deletion.isPresent()) {
                return core.deletionUploads().request(deletion.get(), object.bucket(), object.key(), executionName,
                        started == null ? clock.instant() : started);
            }
        }
        return imports.place(request, executionName, started);
    }

    /**
     * A transient error, a busy dataset or a full region past the monitor deadline ends the execution as timed out,
     * rather than retried again.
     */
    @Override
    protected RuntimeException failed(Task task, AwsCallException e) {
        Instant started = executionStart(task.executionStartTime(), false);
        if (RETRIED_UNTIL_DEADLINE.contains(e.kind()) && started != null
                && policy.pastDeadline(Duration.between(started, clock.instant()))) {
            return new MonitorDeadlineExceededException("No " + (ExecutionStates.isDeletion(task.input())
                    ? "data deletion" : "import") + " job was created within the monitor deadline "
                    + policy.deadline() + "; last error: " + e.getMessage(), e);
        }
        return e.escalate();
    }

}
