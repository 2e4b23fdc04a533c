// Drives a data deletion job through the AWS SDK for JavaScript v3, an independent client of the Personalize
// emulator: Create, Describe until the job ends, List. The SDK parses every answer by the service model and throws
// on a shape it cannot read, so a clean run proves the wire format. Prints the answers as one JSON object.
//
// Usage: node data-deletion-jobs.mjs <endpoint> <datasetGroupArn> <dataLocation> <jobName> <roleArn>
import {
  CreateDataDeletionJobCommand,
  DescribeDataDeletionJobCommand,
  ListDataDeletionJobsCommand,
  PersonalizeClient,
} from "@aws-sdk/client-personalize";

const [endpoint, datasetGroupArn, dataLocation, jobName, roleArn] = process.argv.slice(2);
if (!roleArn) {
  console.error("usage: node data-deletion-jobs.mjs <endpoint> <datasetGroupArn> <dataLocation> <jobName> <roleArn>");
  process.exit(2);
}

const client = new PersonalizeClient({
  endpoint,
  region: "us-east-1",
  credentials: { accessKeyId: "AKIDLOCAL", secretAccessKey: "local-secret" },
  maxAttempts: 1,
});
const withoutMetadata = ({ $metadata, ...answer }) => answer;

const created = await client.send(new CreateDataDeletionJobCommand({
  jobName, datasetGroupArn, roleArn, dataSource: { dataLocation },
}));
const statuses = [];
const deadline = Date.now() + 20_000;
let described;
do {
  if (Date.now() > deadline) {
    throw new Error(`${created.dataDeletionJobArn} did not end; statuses seen: ${statuses}`);
  }
  described = await client.send(new DescribeDataDeletionJobCommand({
    dataDeletionJobArn: created.dataDeletionJobArn,
  }));
  if (statuses.at(-1) !== described.dataDeletionJob.status) {
    statuses.push(described.dataDeletionJob.status);
  }
  await new Promise((resolve) => setTimeout(resolve, 20));
} while (!["COMPLETED", "FAILED"].includes(described.dataDeletionJob.status));
const listed = await client.send(new ListDataDeletionJobsCommand({ datasetGroupArn, maxResults: 10 }));

const job = described.dataDeletionJob;
console.log(JSON.stringify({
  created: withoutMetadata(created),
  statuses,
  described: withoutMetadata(described),
  // The SDK turns timestamps into Date objects: proof it read them as the model's epoch seconds.
  timestampsAreDates: job.creationDateTime instanceof Date && job.lastUpdatedDateTime instanceof Date,
  listed: withoutMetadata(listed),
}));
