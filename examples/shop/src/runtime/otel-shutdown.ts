/**
 * Lets a service flush its spans on the way out: the OpenTelemetry preload registers the SDK's
 * shutdown here, and `serveUntilStopped` calls it once the server has closed.
 */
let shutdown: (() => Promise<void>) | null = null;

export function registerTracingShutdown(fn: () => Promise<void>): void {
  shutdown = fn;
}

export async function shutdownTracing(): Promise<void> {
  await shutdown?.();
}
