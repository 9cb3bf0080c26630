// What both test services answer on /work: their name, after calling DOWNSTREAM's /work if set
// (its answer nested under `downstream`, its status passed on; 502 if it cannot be reached).
// `http` is the service's own, already instrumented, node:http module.
exports.answerWork = function answerWork(http, name, downstream, res) {
  if (!downstream) {
    setTimeout(() => res.json({ service: name }), 5);
    return;
  }
  http
    .get(`${downstream}/work`, (down) => {
      let body = '';
      down.on('data', (c) => (body += c));
      down.on('end', () => res.status(down.statusCode).json({ service: name, downstream: JSON.parse(body) }));
    })
    .on('error', (err) => res.status(502).json({ error: err.message }));
};
