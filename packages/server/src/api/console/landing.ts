import { formatAddress, type ListenAddress } from '../../config/address.js';
import type { Router } from '../../platform/http/router.js';
import { pageHeaders } from './static.js';

/** Until the console is served at `/`, a page that says how to send data and where to read it. */
export function mountLanding(router: Router, addresses: () => { udp: ListenAddress | null }): void {
  router.add('GET', '/', 'public', async () => {
    const udp = addresses().udp;
    const daemon = udp ? formatAddress(udp) : '(the UDP listener is disabled)';
    const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Fluoro</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:46rem;margin:3rem auto;padding:0 1rem}code{background:#eef;padding:0 .3em}</style></head>
<body><h1>Fluoro is running</h1>
<p>Point X-Ray SDKs here: <code>AWS_XRAY_DAEMON_ADDRESS=${daemon}</code></p>
<p>Read traces with the X-Ray API on this port, for example
<code>aws xray get-trace-summaries --endpoint-url http://&lt;this host:port&gt; --start-time $(($(date +%s)-600)) --end-time $(date +%s)</code></p>
<p><a href="/healthz">/healthz</a> · <a href="/readyz">/readyz</a> · <a href="/metrics">/metrics</a></p>
</body></html>`;
    return { status: 200, contentType: 'text/html; charset=utf-8', headers: pageHeaders(body), body };
  });
}
