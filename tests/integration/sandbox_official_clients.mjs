// Smoke check of the sandbox with the services' own clients: the official AWS SDK v3 Firehose
// client (stream lifecycle, PutRecordBatch, PutRecord, errors, a bad signature) and Segment's
// @segment/analytics-node (batched track calls, a bad write key). Not part of ctest (it needs npm):
//   mkdir /tmp/sbnode && cd /tmp/sbnode && npm install @aws-sdk/client-firehose @segment/analytics-node@2
//   syncdesk-sandbox --port 0 --no-firehose-auto-create &     (prints its URL)
//   cp tests/integration/sandbox_official_clients.mjs /tmp/sbnode/ && cd /tmp/sbnode &&
//       node sandbox_official_clients.mjs http://127.0.0.1:PORT
import assert from 'node:assert/strict';
import { FirehoseClient, CreateDeliveryStreamCommand, DescribeDeliveryStreamCommand,
  ListDeliveryStreamsCommand, DeleteDeliveryStreamCommand, PutRecordCommand,
  PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { Analytics } from '@segment/analytics-node';

const url = process.argv[2];
const credentials = { accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const firehose = new FirehoseClient({ region: 'us-east-1', endpoint: url, credentials });
const enc = new TextEncoder();
const count = async (service, target) =>
  (await (await fetch(`${url}/_sandbox/count?service=${service}&target=${target}`)).json()).records;

await fetch(`${url}/_sandbox/reset`, { method: 'POST' });
const created = await firehose.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: 'sdk',
  DeliveryStreamType: 'DirectPut',
  ExtendedS3DestinationConfiguration: { RoleARN: 'arn:aws:iam::1:role/r', BucketARN: 'arn:aws:s3:::b' } }));
assert.match(created.DeliveryStreamARN, /deliverystream\/sdk$/);
let status = 'CREATING';
for (let i = 0; i < 5 && status !== 'ACTIVE'; i++)
  status = (await firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'sdk' })))
    .DeliveryStreamDescription.DeliveryStreamStatus;
assert.equal(status, 'ACTIVE');
const listed = await firehose.send(new ListDeliveryStreamsCommand({ Limit: 10 }));
assert.deepEqual(listed.DeliveryStreamNames, ['sdk']);
const batch = await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: 'sdk',
  Records: Array.from({ length: 100 }, (_, i) => ({ Data: enc.encode(JSON.stringify({ id: i }) + '\n') })) }));
assert.equal(batch.FailedPutCount, 0);
assert.equal(batch.RequestResponses.length, 100);
assert.ok((await firehose.send(new PutRecordCommand({ DeliveryStreamName: 'sdk',
  Record: { Data: enc.encode('x\n') } }))).RecordId);
assert.equal(await count('firehose', 'sdk'), 101);
await assert.rejects(firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: 'absent',
  Records: [{ Data: enc.encode('x') }] })), { name: 'ResourceNotFoundException' });
const badSig = new FirehoseClient({ region: 'us-east-1', endpoint: url, maxAttempts: 1,
  credentials: { ...credentials, secretAccessKey: 'wrong' } });
await assert.rejects(badSig.send(new ListDeliveryStreamsCommand({})), { name: 'InvalidSignatureException' });
await firehose.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: 'sdk' }));

const analytics = new Analytics({ writeKey: 'demo', host: url, maxEventsInBatch: 50, flushInterval: 100 });
let errors = 0;
analytics.on('error', () => errors++);
for (let i = 0; i < 120; i++)
  analytics.track({ userId: `u${i}`, event: 'Row Uploaded', properties: { i } });
await analytics.closeAndFlush();
assert.equal(errors, 0);
assert.equal(await count('segment', 'demo'), 120);
const wrongKey = new Analytics({ writeKey: 'wrong', host: url, maxRetries: 0, flushInterval: 100 });
let refused = 0;
wrongKey.on('error', () => refused++);
wrongKey.track({ userId: 'x', event: 'e' });
await wrongKey.closeAndFlush();
assert.equal(refused, 1);
console.log('official clients: OK');
