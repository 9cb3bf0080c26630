import type { Server } from 'node:http';

/**
 * The IPC channel between a shop process and the parent that started it: readiness up, chaos
 * commands down. IPC rather than an HTTP admin route, so control traffic never shows up in traces.
 */

/** Chaos commands the parent sends; each process acts on those meant for it. */
export type ControlMessage =
  | { readonly type: 'dynamodb-latency'; readonly minMs: number; readonly maxMs: number }
  | { readonly type: 'payments-mode'; readonly mode: 'normal' | 'fault' | 'throttle'; readonly ratio: number };

export type ChildMessage = { readonly type: 'ready'; readonly port: number };

export function onControl(handler: (msg: ControlMessage) => void): void {
  process.on('message', (msg) => handler(msg as ControlMessage));
}

/**
 * Announces the process ready once `server` listens, and makes it leave cleanly: on SIGTERM, and
 * when the parent goes away (the IPC channel closes), so a crashed parent leaves no orphans.
 * `flush` runs after the server closed (OpenTelemetry services send their last spans there).
 */
export function serveUntilStopped(server: Server, flush: () => Promise<void> = async () => {}): void {
  server.keepAliveTimeout = 65_000; // longer than the clients' idle-socket timeout: no reset races
  server.on('listening', () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    process.send?.({ type: 'ready', port } satisfies ChildMessage);
  });
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    // A last chance for in-flight requests, then connections are cut: stop is bounded.
    const cut = setTimeout(() => server.closeAllConnections(), 1_000);
    server.close(() => {
      clearTimeout(cut);
      const deadline = new Promise<void>((r) => setTimeout(r, 3_000).unref());
      void Promise.race([flush().catch(() => {}), deadline]).finally(() => process.exit(0));
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('disconnect', stop);
}
