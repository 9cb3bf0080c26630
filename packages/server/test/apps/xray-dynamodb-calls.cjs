// A Node service instrumented with the AWS X-Ray SDK for Node.js calling DynamoDB through the AWS
// SDK v3 (captureAWSv3Client): one segment, one GetItem on each table named in the arguments, to
// the endpoint in DYNAMODB_ENDPOINT. Segments go to AWS_XRAY_DAEMON_ADDRESS. Prints "done".
const AWSXRay = require('aws-xray-sdk-core');
const { DynamoDBClient, GetItemCommand } = require('@aws-sdk/client-dynamodb');

AWSXRay.setContextMissingStrategy('LOG_ERROR');
const client = AWSXRay.captureAWSv3Client(
  new DynamoDBClient({
    endpoint: process.env.DYNAMODB_ENDPOINT,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'fluoro', secretAccessKey: 'fluoro' },
    maxAttempts: 1,
  }),
);

(async () => {
  const segment = new AWSXRay.Segment('node-dynamo');
  const ns = AWSXRay.getNamespace();
  await ns.runPromise(async () => {
    AWSXRay.setSegment(segment);
    for (const table of process.argv.slice(2)) {
      await client.send(new GetItemCommand({ TableName: table, Key: { id: { S: '1' } } }));
    }
  });
  segment.close();
  // The emitter sends on close; give the datagram a moment before exiting.
  setTimeout(() => console.log('done'), 200);
})();
