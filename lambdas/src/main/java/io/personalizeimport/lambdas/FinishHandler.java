package io.personalizeimport.lambdas;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.personalizeimport.lambdas.config.Environment;
import io.personalizeimport.lambdas.domain.MonitorInput;
import io.personalizeimport.lambdas.lane.DeletionEnds;
import io.personalizeimport.lambdas.lane.Ending;
import io.personalizeimport.lambdas.lane.Endings;
import io.personalizeimport.lambdas.lane.Released;
import java.util.List;

/**
 * The "Record the verdict" task every execution ends in: its verdict, recorded on the files of the lane it holds, whose
 * next import then starts ({@link Endings}), or on the list of users of the data deletion it runs ({@link DeletionEnds}).
 */
public final class FinishHandler extends TaskHandler<FinishHandler.Task, FinishHandler.Verdict> {

    private final Pipeline pipeline;

    public FinishHandler() {
        this(Environment.system());
    }

    private FinishHandler(Environment env) {
        this(Pipeline.from(FunctionSettings.FINISH, env));
        Priming.register(ImportPriming.finish(this, pipeline, env));
    }

    public FinishHandler(Pipeline pipeline) {
        super("verdict", Task.class);
        this.pipeline = pipeline;
    }

    /** The task's input: the execution's state as its last step left it, and the execution. */
    public record Task(JsonNode input, String executionName, String stateMachineArn) {
    }

    /**
     * The verdict: the execution's Error and Cause when it did not succeed, or its output when it did.
     *
     * @param output null when it did not succeed
     */
    public record Verdict(boolean succeeded, String error, String cause, Object output) {
    }

    /** An import that ended ACTIVE: the job, and for one that held a lane its files and the lane's next job. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Imported(JsonNode datasetImportJob, List<String> files, String next) {
    }

    /** An import that ended ACTIVE without a lane: the job. */
    public record Watched(JsonNode datasetImportJob) {
    }

    /** A folder whose marker came: its import is the marker's. */
    public record FolderComplete(String folder, boolean complete) {
    }

    /**
     * A held batch whose staged copies keep fewer than Personalize's minimum of interactions once the rows of deleted
     * users are left out: no job was created, and its files wait in their lane for more.
     */
    public record BatchWaits(String waitingFor, List<String> files) {
    }

    /** An operator's import that waits in its lane: where, behind what, and the job it will run as. */
    public record Queued(JsonNode queued) {
    }

    /** A data deletion that COMPLETED: the job, the list of users and the records removed. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Deleted(JsonNode dataDeletionJob, String file, Long numDeleted) {
    }

    @Override
    protected Verdict run(Task task) {
        Ending ending = ExecutionStates.ending(task.executionName(), task.input());
        if (ExecutionStates.isDeletion(task.input())) {
            MonitorInput.LaneDeletion deletion = ExecutionStates.deletion(task.input());
            DeletionEnds.Verdict verdict = pipeline.core(task.stateMachineArn()).deletionEnds().finish(
                    task.executionName(), deletion, ending.happened(), ExecutionStates.numDeleted(task.input()));
            return verdict.deleted() ? new Verdict(true, null, null, new Deleted(task.input().path("monitor")
                    .get("dataDeletionJob"), deletion.source() == null ? null : deletion.source().key(),
                    verdict.numDeleted()))
                    : new Verdict(false, verdict.error(), verdict.cause(), null);
        }
        Endings.Finished finished = pipeline.core(task.stateMachineArn()).endings().end(ending);
        if (!finished.verdict().isImported()) {
            return new Verdict(false, finished.verdict().error(), finished.verdict().cause(), null);
        }
        JsonNode state = task.input();
        Released released = finished.released();
        Object output = switch (ending.happened()) {
            case Ending.FolderWaited waited -> new FolderComplete(waited.watch().folder(), true);
            case Ending.Queued queued -> new Queued(state.get("queued"));
            case Ending.Unstageable waits -> new BatchWaits(waits.reason(), released == null ? List.of()
                    : released.files());
            default -> released == null ? new Watched(state.path("monitor").get("datasetImportJob"))
                    : new Imported(state.path("monitor").get("datasetImportJob"), released.files(), released.next());
        };
        return new Verdict(true, null, null, output);
    }
}
