package io.personalizeimport.lambdas;

import io.personalizeimport.lambdas.aws.AwsClients;
import io.personalizeimport.lambdas.aws.EventPublisher;
import io.personalizeimport.lambdas.aws.PersonalizeDeletionJobs;
import io.personalizeimport.lambdas.aws.PersonalizeImportJobs;
import io.personalizeimport.lambdas.aws.Preflight;
import io.personalizeimport.lambdas.aws.S3Objects;
import io.personalizeimport.lambdas.aws.StateMachineExecutions;
import io.personalizeimport.lambdas.config.Environment;
import io.personalizeimport.lambdas.config.PipelineConfig;
import io.personalizeimport.lambdas.lane.BatchStaging;
import io.personalizeimport.lambdas.lane.DeletionEnds;
import io.personalizeimport.lambdas.lane.DeletionUploads;
import io.personalizeimport.lambdas.lane.Deletions;
import io.personalizeimport.lambdas.lane.Endings;
import io.personalizeimport.lambdas.lane.Folders;
import io.personalizeimport.lambdas.lane.Lanes;
import io.personalizeimport.lambdas.lane.OperatorImports;
import io.personalizeimport.lambdas.lane.Releases;
import io.personalizeimport.lambdas.lane.Settlements;
import io.personalizeimport.lambdas.lane.Uploads;
import io.personalizeimport.lambdas.ledger.Ledger;
import io.personalizeimport.lambdas.ledger.LedgerTable;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lane's rules wired to AWS, the same way for every function that imports: the clients and the ledger once per
 * container, and the lane's services once per state machine (the lane and create tasks learn it from their input).
 */
public final class Pipeline {

    private final PipelineConfig config;
    private final AwsClients clients;
    private final Ledger ledger;
    private final Preflight preflight;
    private final String ledgerTable;
    private final BatchStaging.Limits staging;
    private final Clock clock;
    private final Map<String, Core> cores = new ConcurrentHashMap<>();

    /** The lane's services, bound to one state machine's executions. */
    public record Core(Uploads uploads, OperatorImports operatorImports, Releases releases, Endings endings,
                       Deletions deletions, DeletionEnds deletionEnds, DeletionUploads deletionUploads) {
    }

    public Pipeline(PipelineConfig config, AwsClients clients, String ledgerTable, BatchStaging.Limits staging,
                    Clock clock) {
        this.config = config;
        this.staging = staging;
        this.clients = clients;
        this.ledger = new Ledger(clients.dynamoDb(), ledgerTable, clock);
        this.ledgerTable = ledgerTable;
        this.preflight = new Preflight(clients.s3(), clients.personalize(), clock);
        this.clock = clock;
    }

    /** The function's pipeline as its environment configures it. */
    public static Pipeline from(FunctionSettings function, Environment env) {
        return new Pipeline(PipelineConfig.from(env), AwsClients.forFunction(function, env), LedgerTable.name(env),
                BatchStaging.Limits.from(env), Clock.systemUTC());
    }

    public PipelineConfig config() {
        return config;
    }

    public AwsClients clients() {
        return clients;
    }

    public Ledger ledger() {
        return ledger;
    }

    public String ledgerTable() {
        return ledgerTable;
    }

    /** The container's one preflight, whose schema cache the objects and the import jobs share. */
    public Preflight preflight() {
        return preflight;
    }

    /** The bucket's objects, read through the container's one preflight. */
    public S3Objects objects() {
        return new S3Objects(clients.s3(), preflight);
    }

    /** The lane's services whose executions run on this state machine, built on first use. */
    public Core core(String stateMachineArn) {
        return cores.computeIfAbsent(stateMachineArn, this::wire);
    }

    private Core wire(String stateMachineArn) {
        Uploads.Ports ports = new Uploads.Ports(ledger, ledger, objects(),
                new PersonalizeImportJobs(config, clients.personalize(), preflight),
                new StateMachineExecutions(clients.sfn(), stateMachineArn),
                new OutcomeReporter(ledger, new EventPublisher(clients::eventBridge, config.eventBusName()), clock));
        Settlements settlements = new Settlements(ledger);
        Lanes lanes = new Lanes(config, ledger, ledger, ports.objects(), ports.jobs(), ports.executions(), settlements,
                clock);
        Deletions deletions = new Deletions(config, ledger, ports.executions(),
                new PersonalizeDeletionJobs(clients.personalize()), clock);
        Releases releases = new Releases(config, ports, ledger, lanes, settlements, deletions, clock);
        DeletionUploads lists = new DeletionUploads(ledger, ports.objects(), deletions, settlements, ports.events());
        return new Core(new Uploads(config, ports, lanes, settlements, lists),
                new OperatorImports(config, ports, ledger, lanes,
                        new BatchStaging(ports.objects(), ledger, staging, clock), clock), releases,
                new Endings(releases, new Folders(ledger, ledger)), deletions,
                new DeletionEnds(ledger, ledger, lanes, deletions, ports.executions(), ports.events(), clock), lists);
    }
}
