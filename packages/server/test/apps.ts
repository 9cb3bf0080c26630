import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The tests' instrumented services (apps/): real SDKs, separate processes; the server's and the console's tests start them. */
export const XRAY_APP = fileURLToPath(new URL('./apps/xray-express-service.cjs', import.meta.url));
export const OTEL_APP = fileURLToPath(new URL('./apps/otel-express-service.cjs', import.meta.url));

export interface App {
  proc: ChildProcess;
  url: string;
}

/** Starts an app with its environment (see the app's header) and resolves once it listens. */
export function startApp(file: string, env: Record<string, string>): Promise<App> {
  const proc = spawn(process.execPath, [file], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    proc.stdout!.on('data', (d: Buffer) => {
      const m = /listening (\d+)/.exec(d.toString());
      if (m) resolve({ proc, url: `http://127.0.0.1:${m[1]}` });
    });
    proc.on('exit', (code) => reject(new Error(`${env['SERVICE_NAME']} exited with ${code}`)));
  });
}

/** Stops apps and waits: OTel services flush their last spans on SIGTERM. */
export async function stopApps(apps: ReadonlyArray<App | undefined>): Promise<void> {
  await Promise.all(
    apps
      .filter((a): a is App => !!a && a.proc.exitCode === null)
      .map((a) => new Promise((r) => (a.proc.once('exit', r), a.proc.kill('SIGTERM')))),
  );
}
