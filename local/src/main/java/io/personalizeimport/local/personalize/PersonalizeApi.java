package io.personalizeimport.local.personalize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.personalizeimport.local.personalize.Resources.DataDeletionJob;
import io.personalizeimport.local.personalize.Resources.Dataset;
import io.personalizeimport.local.personalize.Resources.DatasetGroup;
import io.personalizeimport.local.personalize.Resources.ExportJob;
import io.personalizeimport.local.personalize.Resources.ImportJob;
import io.personalizeimport.local.personalize.Resources.Schema;
import io.personalizeimport.local.personalize.errors.InvalidInputException;
import io.personalizeimport.local.personalize.errors.InvalidNextTokenException;
import io.personalizeimport.local.personalize.errors.LimitExceededException;
import io.personalizeimport.local.personalize.errors.ResourceAlreadyExistsException;
import io.personalizeimport.local.personalize.errors.ResourceInUseException;
import io.personalizeimport.local.personalize.errors.ResourceNotFoundException;
import io.personalizeimport.local.personalize.errors.UnknownOperationException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** The Personalize operations the emulator implements, with the service's validation and rules. */
final class PersonalizeApi {

    /** Operations this emulator answers; any other X-Amz-Target gets {@code UnknownOperationException}. */
    static final Set<String> OPERATIONS = Set.of("CreateDatasetGroup", "DescribeDatasetGroup", "CreateSchema",
            "DescribeSchema", "CreateDataset", "DescribeDataset", "UpdateDataset", "ListDatasets",
            "CreateDatasetImportJob", "DescribeDatasetImportJob", "ListDatasetImportJobs", "CreateDatasetExportJob",
            "DescribeDatasetExportJob", "ListDatasetExportJobs", "CreateDataDeletionJob", "DescribeDataDeletionJob",
            "ListDataDeletionJobs");

    /** Personalize allows this many import jobs pending or in progress per region; the quota is not adjustable. */
    static final int MAX_UNFINISHED_IMPORT_JOBS = 5;

    /**
     * Personalize allows this many data deletion jobs waiting per dataset group. The Developer Guide ("Deleting users",
     * guidelines and requirements) counts those with the status PENDING; the emulator counts IN_PROGRESS ones too,
     * because its jobs leave PENDING after one step, which would leave the limit unreachable, and because a client
     * that keeps within the stricter count keeps within the service's.
     */
    static final int MAX_UNFINISHED_DATA_DELETION_JOBS = 5;

    private static final int DEFAULT_PAGE_SIZE = 100;

    private final ObjectMapper json;
    private final EmulatorState state;
    private final ImportJobRunner runner;
    private final ExportJobRunner exports;
    private final DataDeletionJobRunner deletions;
    private final Clock clock;
    private final String accountId;
    private final ImportJobCounts counts;

    PersonalizeApi(ObjectMapper json, EmulatorState state, ImportJobRunner runner, ExportJobRunner exports,
                   DataDeletionJobRunner deletions, Clock clock, String accountId, ImportJobCounts counts) {
        this.deletions = deletions;
        this.counts = counts;
        this.json = json;
        this.state = state;
        this.runner = runner;
        this.exports = exports;
        this.clock = clock;
        this.accountId = accountId;
    }

    /** Runs {@code operation} for a caller in {@code region}; returns the response body. */
    ObjectNode handle(String operation, JsonNode body, String region) {
        RequestInput in = new RequestInput(body);
        Arns arns = new Arns(region, accountId);
        return switch (operation) {
            case "CreateDatasetGroup" -> createDatasetGroup(in, arns);
            case "DescribeDatasetGroup" -> describeDatasetGroup(in);
            case "CreateSchema" -> createSchema(in, arns);
            case "DescribeSchema" -> describeSchema(in);
            case "CreateDataset" -> createDataset(in, arns);
            case "DescribeDataset" -> describeDataset(in);
            case "UpdateDataset" -> updateDataset(in);
            case "ListDatasets" -> listDatasets(in);
            case "CreateDatasetImportJob" -> createDatasetImportJob(in, arns);
            case "DescribeDatasetImportJob" -> describeDatasetImportJob(in);
            case "ListDatasetImportJobs" -> listDatasetImportJobs(in);
            case "CreateDatasetExportJob" -> createDatasetExportJob(in, arns);
            case "DescribeDatasetExportJob" -> describeDatasetExportJob(in);
            case "ListDatasetExportJobs" -> listDatasetExportJobs(in);
            case "CreateDataDeletionJob" -> createDataDeletionJob(in, arns);
            case "DescribeDataDeletionJob" -> describeDataDeletionJob(in);
            case "ListDataDeletionJobs" -> listDataDeletionJobs(in);
            default -> throw new UnknownOperationException("Operation " + operation + " is not supported by the "
                    + "Personalize emulator; it implements " + OPERATIONS.stream().sorted().toList());
        };
    }

    private ObjectNode createDatasetGroup(RequestInput in, Arns arns) {
        String name = in.required("name", Shape.NAME);
        String roleArn = in.optional("roleArn", Shape.ROLE_ARN);
        String kmsKeyArn = in.optional("kmsKeyArn", Shape.KMS_KEY_ARN);
        String domain = in.optional("domain", Shape.DOMAIN);
        in.tags();
        in.validate();
        if (roleArn != null && kmsKeyArn == null) {
            throw new InvalidInputException("roleArn is only valid together with kmsKeyArn");
        }
        String arn = arns.datasetGroup(name);
        synchronized (state) {
            if (state.datasetGroup(arn).isPresent()) {
                throw new ResourceAlreadyExistsException("Dataset group " + arn + " already exists");
            }
            state.put(new DatasetGroup(name, arn, roleArn, kmsKeyArn, domain, clock.millis()));
        }
        ObjectNode out = json.createObjectNode().put("datasetGroupArn", arn);
        return domain == null ? out : out.put("domain", domain);
    }

    private ObjectNode describeDatasetGroup(RequestInput in) {
        String arn = in.required("datasetGroupArn", Shape.ARN);
        in.validate();
        DatasetGroup group = state.datasetGroup(arn)
                .orElseThrow(() -> new ResourceNotFoundException("Dataset group " + arn + " does not exist"));
        ObjectNode out = json.createObjectNode();
        out.putObject("datasetGroup")
                .put("name", group.name())
                .put("datasetGroupArn", group.arn())
                .put("status", Resources.ACTIVE)
                .put("roleArn", group.roleArn())
                .put("kmsKeyArn", group.kmsKeyArn())
                .put("domain", group.domain())
                .put("creationDateTime", seconds(group.created()))
                .put("lastUpdatedDateTime", seconds(group.created()));
        return out;
    }

    private ObjectNode createSchema(RequestInput in, Arns arns) {
        String name = in.required("name", Shape.NAME);
        String schema = in.required("schema", Shape.AVRO_SCHEMA);
        String domain = in.optional("domain", Shape.DOMAIN);
        in.validate();
        AvroSchema.parse(schema);
        String arn = arns.schema(name);
        synchronized (state) {
            if (state.schema(arn).isPresent()) {
                throw new ResourceAlreadyExistsException("Schema " + arn + " already exists");
            }
            state.put(new Schema(name, arn, schema, domain, clock.millis()));
        }
        return json.createObjectNode().put("schemaArn", arn);
    }

    private ObjectNode describeSchema(RequestInput in) {
        String arn = in.required("schemaArn", Shape.ARN);
        in.validate();
        Schema schema = state.schema(arn)
                .orElseThrow(() -> new ResourceNotFoundException("Schema " + arn + " does not exist"));
        ObjectNode out = json.createObjectNode();
        out.putObject("schema")
                .put("name", schema.name())
                .put("schemaArn", schema.arn())
                .put("schema", schema.schema())
                .put("domain", schema.domain())
                .put("creationDateTime", seconds(schema.created()))
                .put("lastUpdatedDateTime", seconds(schema.created()));
        return out;
    }

    private ObjectNode createDataset(RequestInput in, Arns arns) {
        String name = in.required("name", Shape.NAME);
        String schemaArn = in.required("schemaArn", Shape.ARN);
        String groupArn = in.required("datasetGroupArn", Shape.ARN);
        String typeName = in.required("datasetType", Shape.DATASET_TYPE);
        in.tags();
        in.validate();
        DatasetType type = DatasetType.fromApi(typeName).orElseThrow(() -> new InvalidInputException(
                "Invalid datasetType '" + typeName + "': expected one of Interactions, Items, Users, Actions, "
                        + "Action_Interactions (case insensitive)"));
        synchronized (state) {
            DatasetGroup group = state.datasetGroup(groupArn).orElseThrow(
                    () -> new ResourceNotFoundException("Dataset group " + groupArn + " does not exist"));
            Schema schema = state.schema(schemaArn)
                    .orElseThrow(() -> new ResourceNotFoundException("Schema " + schemaArn + " does not exist"));
            String incompatibility = type.incompatibility(AvroSchema.parse(schema.schema()),
                    Domain.fromApi(group.domain()));
            if (incompatibility != null) {
                throw new InvalidInputException("Schema " + schemaArn + " is not compatible with dataset type "
                        + type + ": " + incompatibility);
            }
            if (group.domain() != null && !group.domain().equals(schema.domain())) {
                throw new InvalidInputException("Schema " + schemaArn + " must have the domain " + group.domain()
                        + " of dataset group " + groupArn);
            }
            String arn = arns.dataset(group.name(), type);
            if (state.dataset(arn).isPresent()) {
                throw new ResourceAlreadyExistsException("Dataset group " + groupArn + " already has a "
                        + type + " dataset: " + arn);
            }
            long now = clock.millis();
            state.put(new Dataset(name, arn, groupArn, type.name(), schemaArn, now, now, 0, false, null));
            return json.createObjectNode().put("datasetArn", arn);
        }
    }

    private ObjectNode describeDataset(RequestInput in) {
        String arn = in.required("datasetArn", Shape.ARN);
        in.validate();
        Dataset dataset = state.dataset(arn)
                .orElseThrow(() -> new ResourceNotFoundException("Dataset " + arn + " does not exist"));
        ObjectNode out = json.createObjectNode();
        out.putObject("dataset")
                .put("name", dataset.name())
                .put("datasetArn", dataset.arn())
                .put("datasetGroupArn", dataset.datasetGroupArn())
                .put("datasetType", dataset.datasetType())
                .put("schemaArn", dataset.schemaArn())
                .put("status", Resources.ACTIVE)
                .put("creationDateTime", seconds(dataset.created()))
                .put("lastUpdatedDateTime", seconds(dataset.updated()));
        return out;
    }

    /**
     * Replaces a dataset's schema. Personalize moves the dataset through UPDATE PENDING and UPDATE IN_PROGRESS; here the
     * new schema applies at once. Like Personalize, it refuses while an import into the dataset is unfinished.
     */
    private ObjectNode updateDataset(RequestInput in) {
        String arn = in.required("datasetArn", Shape.ARN);
        String schemaArn = in.required("schemaArn", Shape.ARN);
        in.validate();
        synchronized (state) {
            Dataset dataset = state.dataset(arn)
                    .orElseThrow(() -> new ResourceNotFoundException("Dataset " + arn + " does not exist"));
            Schema schema = state.schema(schemaArn)
                    .orElseThrow(() -> new ResourceNotFoundException("Schema " + schemaArn + " does not exist"));
            DatasetType type = DatasetType.fromApi(dataset.datasetType()).orElseThrow();
            Domain domain = Domain.fromApi(state.datasetGroup(dataset.datasetGroupArn()).orElseThrow().domain());
            String incompatibility = type.incompatibility(AvroSchema.parse(schema.schema()), domain);
            if (incompatibility != null) {
                throw new InvalidInputException("Schema " + schemaArn + " is not compatible with dataset type "
                        + type + ": " + incompatibility);
            }
            state.importJobs().stream().filter(j -> j.unfinished() && j.datasetArn().equals(arn)).findFirst()
                    .ifPresent(busy -> {
                        throw new ResourceInUseException("Dataset " + arn + " is in use: dataset import job "
                                + busy.arn() + " is " + busy.status() + ". Wait for it to finish, then try again.");
                    });
            state.put(dataset.withSchema(schemaArn, clock.millis()));
        }
        return json.createObjectNode().put("datasetArn", arn);
    }

    private ObjectNode listDatasets(RequestInput in) {
        String groupArn = in.optional("datasetGroupArn", Shape.ARN);
        String nextToken = in.optional("nextToken", Shape.NEXT_TOKEN);
        Integer maxResults = in.optionalInt("maxResults", 1, 100);
        in.validate();
        List<Dataset> all = state.datasets().stream()
                .filter(d -> groupArn == null || groupArn.equals(d.datasetGroupArn()))
                .sorted(Comparator.comparingLong(Dataset::created).reversed())
                .toList();
        return page(all, nextToken, maxResults, "datasets", d -> json.createObjectNode()
                .put("name", d.name())
                .put("datasetArn", d.arn())
                .put("datasetType", d.datasetType())
                .put("status", Resources.ACTIVE)
                .put("creationDateTime", seconds(d.created()))
                .put("lastUpdatedDateTime", seconds(d.updated())));
    }

    private ObjectNode createDatasetImportJob(RequestInput in, Arns arns) {
        String jobName = in.required("jobName", Shape.NAME);
        String datasetArn = in.required("datasetArn", Shape.ARN);
        String dataLocation = in.requiredNested("dataSource", "dataLocation", Shape.S3_LOCATION);
        String roleArn = in.required("roleArn", Shape.ROLE_ARN);
        String importMode = in.optional("importMode", Shape.IMPORT_MODE);
        Boolean publishMetrics = in.optionalBoolean("publishAttributionMetricsToS3");
        in.tags();
        in.validate();
        String mode = importMode == null ? "FULL" : importMode;
        String arn = arns.datasetImportJob(jobName);
        ImportJob job;
        synchronized (state) {
            Dataset dataset = state.dataset(datasetArn)
                    .orElseThrow(() -> new ResourceNotFoundException("Dataset " + datasetArn + " does not exist"));
            if (state.importJob(arn).isPresent()) {
                throw new ResourceAlreadyExistsException("Dataset import job " + arn + " already exists");
            }
            List<ImportJob> unfinished = state.importJobs().stream().filter(ImportJob::unfinished).toList();
            unfinished.stream().filter(j -> j.datasetArn().equals(datasetArn)).findFirst().ifPresent(busy -> {
                throw new ResourceInUseException("Dataset " + datasetArn + " is in use: dataset import job "
                        + busy.arn() + " is " + busy.status() + ". Wait for it to finish, then try again.");
            });
            // The quota is the region's, shared by every dataset group, not one per dataset or group.
            long inRegion = unfinished.stream().filter(j -> arns.inRegion(j.arn())).count();
            if (inRegion >= MAX_UNFINISHED_IMPORT_JOBS) {
                counts.refused();
                // The wording of the Developer Guide's error-messages page.
                throw new LimitExceededException("More than " + MAX_UNFINISHED_IMPORT_JOBS
                        + " resources with PENDING or IN_PROGRESS status.");
            }
            if ("INCREMENTAL".equals(mode) && !dataset.bulkImported()) {
                throw new InvalidInputException("importMode INCREMENTAL needs an earlier bulk import into dataset "
                        + datasetArn + ": import it with importMode FULL first");
            }
            long now = clock.millis();
            job = new ImportJob(jobName, arn, datasetArn, dataLocation, roleArn, mode, publishMetrics,
                    Resources.CREATE_PENDING, now, now, null);
            state.put(job);
            counts.created(inRegion + 1);
        }
        EmulatorLog.info("job " + jobName + " -> " + job.status() + " (" + mode + " " + dataLocation + ")");
        runner.resume(job);
        return json.createObjectNode().put("datasetImportJobArn", arn);
    }

    private ObjectNode describeDatasetImportJob(RequestInput in) {
        String arn = in.required("datasetImportJobArn", Shape.ARN);
        in.validate();
        ImportJob job = state.importJob(arn)
                .orElseThrow(() -> new ResourceNotFoundException("Dataset import job " + arn + " does not exist"));
        ObjectNode out = json.createObjectNode();
        ObjectNode node = out.putObject("datasetImportJob")
                .put("jobName", job.jobName())
                .put("datasetImportJobArn", job.arn())
                .put("datasetArn", job.datasetArn());
        node.putObject("dataSource").put("dataLocation", job.dataLocation());
        node.put("roleArn", job.roleArn())
                .put("status", job.status())
                .put("creationDateTime", seconds(job.created()))
                .put("lastUpdatedDateTime", seconds(job.updated()))
                .put("importMode", job.importMode());
        if (job.failureReason() != null) {
            node.put("failureReason", job.failureReason());
        }
        if (job.publishAttributionMetricsToS3() != null) {
            node.put("publishAttributionMetricsToS3", job.publishAttributionMetricsToS3());
        }
        return out;
    }

    private ObjectNode listDatasetImportJobs(RequestInput in) {
        String datasetArn = in.optional("datasetArn", Shape.ARN);
        String nextToken = in.optional("nextToken", Shape.NEXT_TOKEN);
        Integer maxResults = in.optionalInt("maxResults", 1, 100);
        in.validate();
        List<ImportJob> all = state.importJobs().stream()
                .filter(j -> datasetArn == null || datasetArn.equals(j.datasetArn()))
                .sorted(Comparator.comparingLong(ImportJob::created).reversed())
                .toList();
        return page(all, nextToken, maxResults, "datasetImportJobs", j -> {
            ObjectNode summary = json.createObjectNode()
                    .put("datasetImportJobArn", j.arn())
                    .put("jobName", j.jobName())
                    .put("status", j.status())
                    .put("creationDateTime", seconds(j.created()))
                    .put("lastUpdatedDateTime", seconds(j.updated()))
                    .put("importMode", j.importMode());
            return j.failureReason() == null ? summary : summary.put("failureReason", j.failureReason());
        });
    }

    private ObjectNode createDatasetExportJob(RequestInput in, Arns arns) {
        String jobName = in.required("jobName", Shape.NAME);
        String datasetArn = in.required("datasetArn", Shape.ARN);
        String ingestionMode = in.optional("ingestionMode", Shape.INGESTION_MODE);
        String roleArn = in.required("roleArn", Shape.ROLE_ARN);
        String path = in.nested(Shape.S3_LOCATION, true, "jobOutput", "s3DataDestination", "path");
        String kmsKeyArn = in.nested(Shape.KMS_KEY_ARN, false, "jobOutput", "s3DataDestination", "kmsKeyArn");
        in.tags();
        in.validate();
        String arn = arns.datasetExportJob(jobName);
        ExportJob job;
        synchronized (state) {
            Dataset dataset = state.dataset(datasetArn)
                    .orElseThrow(() -> new ResourceNotFoundException("Dataset " + datasetArn + " does not exist"));
            if (state.exportJob(arn).isPresent()) {
                throw new ResourceAlreadyExistsException("Dataset export job " + arn + " already exists");
            }
            // Developer Guide, "Exporting the training data in a dataset to Amazon S3".
            DatasetType type = DatasetType.valueOf(dataset.datasetType());
            if (type == DatasetType.ACTIONS || type == DatasetType.ACTION_INTERACTIONS) {
                throw new InvalidInputException("Dataset " + datasetArn + " is an " + type + " dataset: data in "
                        + "Actions and Action interactions datasets cannot be exported");
            }
            long now = clock.millis();
            // PUT is the API's default ingestionMode: the data imported one record at a time, not by import jobs.
            String mode = ingestionMode == null ? "PUT" : ingestionMode;
            job = new ExportJob(jobName, arn, datasetArn, mode, roleArn, path, kmsKeyArn, Resources.CREATE_PENDING,
                    now, now, null);
            state.put(job);
        }
        EmulatorLog.info("export job " + jobName + " -> " + job.status() + " (" + job.ingestionMode() + " to "
                + path + ")");
        exports.resume(job);
        return json.createObjectNode().put("datasetExportJobArn", arn);
    }

    private ObjectNode describeDatasetExportJob(RequestInput in) {
        String arn = in.required("datasetExportJobArn", Shape.ARN);
        in.validate();
        ExportJob job = state.exportJob(arn)
                .orElseThrow(() -> new ResourceNotFoundException("Dataset export job " + arn + " does not exist"));
        ObjectNode out = json.createObjectNode();
        ObjectNode node = out.putObject("datasetExportJob")
                .put("jobName", job.jobName())
                .put("datasetExportJobArn", job.arn())
                .put("datasetArn", job.datasetArn())
                .put("ingestionMode", job.ingestionMode())
                .put("roleArn", job.roleArn())
                .put("status", job.status());
        node.putObject("jobOutput").putObject("s3DataDestination")
                .put("path", job.path())
                .put("kmsKeyArn", job.kmsKeyArn());
        node.put("creationDateTime", seconds(job.created()))
                .put("lastUpdatedDateTime", seconds(job.updated()))
                .put("failureReason", job.failureReason());
        return out;
    }

    private ObjectNode listDatasetExportJobs(RequestInput in) {
        String datasetArn = in.optional("datasetArn", Shape.ARN);
        String nextToken = in.optional("nextToken", Shape.NEXT_TOKEN);
        Integer maxResults = in.optionalInt("maxResults", 1, 100);
        in.validate();
        List<ExportJob> all = state.exportJobs().stream()
                .filter(j -> datasetArn == null || datasetArn.equals(j.datasetArn()))
                .sorted(Comparator.comparingLong(ExportJob::created).reversed())
                .toList();
        return page(all, nextToken, maxResults, "datasetExportJobs", j -> json.createObjectNode()
                .put("datasetExportJobArn", j.arn())
                .put("jobName", j.jobName())
                .put("status", j.status())
                .put("creationDateTime", seconds(j.created()))
                .put("lastUpdatedDateTime", seconds(j.updated()))
                .put("failureReason", j.failureReason()));
    }

    private ObjectNode createDataDeletionJob(RequestInput in, Arns arns) {
        String jobName = in.required("jobName", Shape.NAME);
        String groupArn = in.required("datasetGroupArn", Shape.ARN);
        String dataLocation = in.requiredNested("dataSource", "dataLocation", Shape.S3_LOCATION);
        String roleArn = in.required("roleArn", Shape.ROLE_ARN);
        in.tags();
        in.validate();
        String arn = arns.dataDeletionJob(jobName);
        DataDeletionJob job;
        synchronized (state) {
            state.datasetGroup(groupArn).orElseThrow(
                    () -> new ResourceNotFoundException("Dataset group " + groupArn + " does not exist"));
            if (state.dataDeletionJob(arn).isPresent()) {
                throw new ResourceAlreadyExistsException("Data deletion job " + arn + " already exists");
            }
            long unfinished = state.dataDeletionJobs().stream()
                    .filter(j -> j.unfinished() && j.datasetGroupArn().equals(groupArn))
                    .count();
            if (unfinished >= MAX_UNFINISHED_DATA_DELETION_JOBS) {
                // The wording of the import jobs' quota, as the service words its LimitExceededException.
                throw new LimitExceededException("More than " + MAX_UNFINISHED_DATA_DELETION_JOBS
                        + " resources with PENDING or IN_PROGRESS status.");
            }
            long now = clock.millis();
            job = new DataDeletionJob(jobName, arn, groupArn, dataLocation, roleArn, Resources.PENDING, now, now, null,
                    null);
            state.put(job);
            counts.dataDeletionJobCreated();
        }
        EmulatorLog.info("data deletion job " + jobName + " -> " + job.status() + " (" + dataLocation + " from "
                + groupArn + ")");
        deletions.resume(job);
        return json.createObjectNode().put("dataDeletionJobArn", arn);
    }

    private ObjectNode describeDataDeletionJob(RequestInput in) {
        String arn = in.required("dataDeletionJobArn", Shape.ARN);
        in.validate();
        DataDeletionJob job = state.dataDeletionJob(arn)
                .orElseThrow(() -> new ResourceNotFoundException("Data deletion job " + arn + " does not exist"));
        ObjectNode out = json.createObjectNode();
        ObjectNode node = out.putObject("dataDeletionJob")
                .put("jobName", job.jobName())
                .put("dataDeletionJobArn", job.arn())
                .put("datasetGroupArn", job.datasetGroupArn());
        node.putObject("dataSource").put("dataLocation", job.dataLocation());
        node.put("roleArn", job.roleArn())
                .put("status", job.status())
                .put("numDeleted", job.numDeleted() == null ? null : Math.toIntExact(job.numDeleted()))
                .put("creationDateTime", seconds(job.created()))
                .put("lastUpdatedDateTime", seconds(job.updated()))
                .put("failureReason", job.failureReason());
        return out;
    }

    private ObjectNode listDataDeletionJobs(RequestInput in) {
        String groupArn = in.optional("datasetGroupArn", Shape.ARN);
        String nextToken = in.optional("nextToken", Shape.NEXT_TOKEN);
        Integer maxResults = in.optionalInt("maxResults", 1, 100);
        in.validate();
        // API reference, ListDataDeletionJobs: ordered by creation time, the most recent first.
        List<DataDeletionJob> all = state.dataDeletionJobs().stream()
                .filter(j -> groupArn == null || groupArn.equals(j.datasetGroupArn()))
                .sorted(Comparator.comparingLong(DataDeletionJob::created).reversed())
                .toList();
        return page(all, nextToken, maxResults, "dataDeletionJobs", j -> json.createObjectNode()
                .put("dataDeletionJobArn", j.arn())
                .put("datasetGroupArn", j.datasetGroupArn())
                .put("jobName", j.jobName())
                .put("status", j.status())
                .put("creationDateTime", seconds(j.created()))
                .put("lastUpdatedDateTime", seconds(j.updated()))
                .put("failureReason", j.failureReason()));
    }

    private <T> ObjectNode page(List<T> all, String nextToken, Integer maxResults, String member,
                                Function<T, ObjectNode> summary) {
        int from = nextToken == null ? 0 : offset(nextToken, all.size());
        int size = maxResults == null ? DEFAULT_PAGE_SIZE : maxResults;
        int to = Math.min(all.size(), from + size);
        ObjectNode out = json.createObjectNode();
        ArrayNode items = out.putArray(member);
        all.subList(from, to).forEach(item -> items.add(summary.apply(item)));
        if (to < all.size()) {
            out.put("nextToken", Base64.getUrlEncoder().encodeToString(("offset:" + to).getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    private static int offset(String nextToken, int size) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(nextToken), StandardCharsets.UTF_8);
            int offset = Integer.parseInt(decoded.substring(decoded.indexOf(':') + 1));
            if (!decoded.startsWith("offset:") || offset < 0 || offset > size) {
                throw new IllegalArgumentException(decoded);
            }
            return offset;
        } catch (IllegalArgumentException e) {
            // Every List operation of the model names InvalidNextTokenException for this.
            throw new InvalidNextTokenException("Invalid nextToken: pass the nextToken of the previous response");
        }
    }

    // awsJson1.1 sends timestamps as epoch seconds with a fraction.
    private static BigDecimal seconds(long epochMillis) {
        return BigDecimal.valueOf(epochMillis, 3);
    }

    /** Builds and checks ARNs for one caller's region and the emulator's account. */
    record Arns(String region, String accountId) {

        private String prefix() {
            String partition = region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
            return "arn:" + partition + ":personalize:" + region + ":" + accountId + ":";
        }

        String datasetGroup(String name) {
            return prefix() + "dataset-group/" + name;
        }

        String schema(String name) {
            return prefix() + "schema/" + name;
        }

        String dataset(String groupName, DatasetType type) {
            return prefix() + "dataset/" + groupName + "/" + type.name();
        }

        String datasetImportJob(String jobName) {
            return prefix() + "dataset-import-job/" + jobName;
        }

        String datasetExportJob(String jobName) {
            return prefix() + "dataset-export-job/" + jobName;
        }

        String dataDeletionJob(String jobName) {
            return prefix() + "data-deletion-job/" + jobName;
        }

        boolean inRegion(String arn) {
            return arn.startsWith(prefix());
        }
    }
}
