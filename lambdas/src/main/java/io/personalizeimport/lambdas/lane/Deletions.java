package io.personalizeimport.lambdas.lane;

import io.personalizeimport.lambdas.Log;
import io.personalizeimport.lambdas.config.DeletionRoute;
import io.personalizeimport.lambdas.config.PipelineConfig;
import io.personalizeimport.lambdas.config.Route;
import io.personalizeimport.lambdas.domain.DeletionRequest;
import io.personalizeimport.lambdas.domain.ImportSource;
import io.personalizeimport.lambdas.domain.JobNames;
import io.personalizeimport.lambdas.domain.MonitorInput;
import io.personalizeimport.lambdas.errors.InvalidImportRequestException;
import io.personalizeimport.lambdas.json.Json;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Moves a dataset group's deletion lane on: its oldest waiting list of users becomes a data deletion job once every
 * import of the group's datasets written before it has ended and none runs, claimed together with a check that each of
 * those lanes is still so (docs/forgetting-users.md). Any function may call it at any time, as often as it likes.
 */
public final class Deletions {

    /** Bounds the re-reading when a dataset's lane changes between the reads and the claim. */
    private static final int MAX_ROUNDS = 20;

    private final PipelineConfig config;
    private final LaneRecords lanes;
    private final Executions executions;
    private final DeletionJobs jobs;
    private final Clock clock;

    public Deletions(PipelineConfig config, LaneRecords lanes, Executions executions, DeletionJobs jobs, Clock clock) {
        this.config = config;
        this.lanes = lanes;
        this.executions = executions;
        this.jobs = jobs;
        this.clock = clock;
    }

    /** The bucket whose lists of users the pipeline reads. */
    String dataBucket() {
        return config.dataBucket();
    }

    /** The group's deletion jobs, whose checks the uploads of lists make too. */
    DeletionJobs jobs() {
        return jobs;
    }

    /** What {@link #advance} found or did. */
    public sealed interface Advance {

        /** A deletion runs on the group. */
        record Busy(Lane.Running running) implements Advance {
        }

        /** No list of users waits. */
        record Idle() implements Advance {
        }

        /**
         * The oldest list waits for an import of the dataset: the one that runs ({@code jobName}), or the file written
         * before the list that waits to import ({@code file}).
         */
        record WaitingForImport(String datasetArn, String jobName, String file) implements Advance {
        }

        /** The oldest list's deletion started in an execution of its own. */
        record Started(Lane.Running running) implements Advance {
        }
    }

    /** Starts the group's next deletion if none runs, a list waits, and no import of the group must go first. */
    public Advance advance(String datasetGroupArn) {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            LaneView group = lanes.laneView(datasetGroupArn);
            if (group.lane().isBusy()) {
                return new Advance.Busy(group.lane().running());
            }
            if (group.waiting().isEmpty()) {
                return new Advance.Idle();
            }
            FileEntry next = group.waiting().getFirst();
            List<Lane> datasets = new ArrayList<>();
            Advance.WaitingForImport waiting = null;
            for (String datasetArn : datasetsOf(datasetGroupArn)) {
                LaneView view = lanes.laneView(datasetArn);
                waiting = firstBefore(view, next);
                if (waiting != null) {
                    break;
                }
                datasets.add(view.lane());
            }
            if (waiting != null) {
                return waiting;
            }
            Lane.Running running = running(next);
            if (!lanes.claim(group.lane(), running, List.of(next), datasets)) {
                continue;
            }
            Log.info("Deletion lane claimed for the next data deletion", "datasetGroupArn", datasetGroupArn,
                    "jobName", running.jobName(), "file", next.file().key());
            executions.start(running.executionName(), running.input());
            lanes.markStarted(datasetGroupArn, running.executionName());
            return new Advance.Started(running);
        }
        throw new IllegalStateException("The lanes of " + datasetGroupArn + " changed in each of " + MAX_ROUNDS
                + " attempts to start its next deletion");
    }

    /**
     * Creates the job of the deletion that holds its group's lane ("Create deletion job"). A job of its name that
     * Personalize created before the lane was claimed is an earlier deletion's, and its verdict is not this one's.
     *
     * @throws ServiceCallException when Personalize cannot take the job now or refuses it
     * @throws InvalidImportRequestException when the job's name is another deletion's
     */
    public MonitorInput.LaneDeletion create(MonitorInput.LaneDeletion deletion) {
        DeletionRequest request = deletion.deletionRequest();
        DeletionJobs.Started job = jobs.start(request);
        Instant claimed = deletion.lane() == null ? null : deletion.lane().claimedAt();
        if (job.existedSince() != null && claimed != null
                && job.existedSince().isBefore(claimed.minus(OperatorImports.CLOCK_SKEW))) {
            throw new InvalidImportRequestException("Data deletion job " + request.jobName() + " already exists:"
                    + " Personalize created it at " + job.existedSince() + ", before this deletion claimed its group's"
                    + " lane at " + claimed + ", so it is an earlier deletion's; upload the list again under a new key");
        }
        return new MonitorInput.LaneDeletion(job.jobArn(), request, deletion.source(), deletion.lane());
    }

    /**
     * What the dataset's lane must do before the list {@code next} is deleted: end the import it runs, or import a file
     * written before the list. Files held for Personalize's minimum of interactions, and part files that wait for their
     * folder's marker, cannot import yet and do not hold the deletion up; null when nothing must go first.
     */
    private static Advance.WaitingForImport firstBefore(LaneView view, FileEntry next) {
        Lane lane = view.lane();
        if (lane.isBusy()) {
            return new Advance.WaitingForImport(lane.datasetArn(), lane.running().jobName(), null);
        }
        String before = next.file().order();
        Optional<FileEntry> older = view.waiting().stream()
                .filter(entry -> !entry.file().isPart() && entry.file().order().compareTo(before) < 0)
                .filter(entry -> lane.holding() == null || entry.records() == null)
                .findFirst();
        return older.map(entry -> new Advance.WaitingForImport(lane.datasetArn(), null, entry.file().key()))
                .orElse(null);
    }

    /** The routed datasets of the group, each once. */
    List<String> datasetsOf(String datasetGroupArn) {
        DeletionRoute any = config.routes().deletions().stream()
                .filter(route -> route.datasetGroupArn().equals(datasetGroupArn)).findFirst().orElse(null);
        if (any == null) {
            return List.of();
        }
        return config.routes().routes().stream().map(Route::datasetArn).filter(any::covers).distinct().toList();
    }

    private Lane.Running running(FileEntry next) {
        LaneFile file = next.file();
        DeletionRoute route = config.routes().deletions().stream().filter(r -> r.name().equals(file.route()))
                .findFirst().orElseThrow(() -> new InvalidImportRequestException("Deletion route '" + file.route()
                        + "' of " + file.key() + " is no longer configured: expected one of "
                        + config.routes().deletions().stream().map(DeletionRoute::name).toList()));
        String jobName = JobNames.forWrite(route.name(), file.object(), file.sequencer());
        DeletionRequest request = new DeletionRequest(jobName, route.datasetGroupArn(), file.location(),
                route.roleArn(), route.tags());
        MonitorInput.LaneTicket ticket = new MonitorInput.LaneTicket(file.datasetArn(), List.of(file.sortKey()),
                List.of(file.key()), clock.instant());
        MonitorInput.LaneDeletion input = new MonitorInput.LaneDeletion(request.jobArn(), request,
                ImportSource.of(file.object(), route.name()), ticket);
        return new Lane.Running(jobName, jobName, ticket.entries(), ticket.claimedAt(), false, Json.write(input));
    }
}
