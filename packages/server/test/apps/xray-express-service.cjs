// A real Express service instrumented with the AWS X-Ray SDK for Node.js, the way users do it:
// aws-xray-sdk-express middleware, captureHTTPsGlobal for outgoing calls, the daemon address from
// AWS_XRAY_DAEMON_ADDRESS. Started by the tests as a separate process.
//   SERVICE_NAME   segment name
//   DOWNSTREAM     base URL of the service /work calls (optional)
// Prints "listening <port>" once ready.
const AWSXRay = require('aws-xray-sdk-core');
const http = require('node:http');
AWSXRay.captureHTTPsGlobal(http, true);
const xrayExpress = require('aws-xray-sdk-express');
const express = require('express');
const { answerWork } = require('./work.cjs');

// Record every request: the SDK's default rule samples only 1/s + 5%.
AWSXRay.middleware.disableCentralizedSampling();
AWSXRay.middleware.setSamplingRules({ version: 2, rules: [], default: { fixed_target: 0, rate: 1 } });
AWSXRay.setContextMissingStrategy('IGNORE_ERROR');

const name = process.env.SERVICE_NAME;
const downstream = process.env.DOWNSTREAM;
const app = express();
app.use(xrayExpress.openSegment(name));

app.get('/work', (req, res) => {
  AWSXRay.getSegment().addAnnotation('route', 'work');
  AWSXRay.getSegment().setUser(req.query.user || 'anonymous');
  answerWork(http, name, downstream, res);
});

app.get('/fail', (_req, res) => res.status(500).json({ error: 'boom' }));
app.get('/missing', (_req, res) => res.status(404).json({ error: 'no such thing' }));

app.use(xrayExpress.closeSegment());
const server = app.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
