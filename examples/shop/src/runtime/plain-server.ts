import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { serveUntilStopped } from './control.js';
import { portOf } from './env.js';
import type { DependencyName } from '../topology.js';

/**
 * Serves one of the shop's uninstrumented dependencies (the DynamoDB endpoint, the payment API
 * stub) on its port: plain `node:http`, the request body read whole before `handle` runs.
 */
export function servePlain(
  name: DependencyName,
  handle: (req: IncomingMessage, body: Buffer, res: ServerResponse) => Promise<void> | void,
): void {
  const server = createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      await handle(req, Buffer.concat(chunks), res);
    })();
  });
  serveUntilStopped(server);
  server.listen(portOf(name), '127.0.0.1');
}
