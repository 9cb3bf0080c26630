// A real Express service instrumented with the AWS X-Ray SDK for Node.js in its default
// sampling mode: centralized sampling, rules and reservoir quotas polled from the daemon address
// (AWS_XRAY_DAEMON_ADDRESS, here "tcp:host:port udp:host:port" pointing at Fluoro). Started by
// the tests as a separate process. Prints "listening <port>" once ready.
const AWSXRay = require('aws-xray-sdk-core');
const xrayExpress = require('aws-xray-sdk-express');
const express = require('express');

AWSXRay.setContextMissingStrategy('IGNORE_ERROR');
const app = express();
app.use(xrayExpress.openSegment('sampling-app'));
app.get('/sampled', (_req, res) => res.send('ok'));
app.get('/other', (_req, res) => res.send('ok'));
app.use(xrayExpress.closeSegment());
const server = app.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
