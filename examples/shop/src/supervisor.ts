import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ChildMessage, ControlMessage } from './runtime/control.js';
import type { ProcessSpec } from './topology.js';

const DIST = new URL('./', import.meta.url);
const OTEL_PRELOAD = pathToFileURL(fileURLToPath(new URL('runtime/otel-preload.js', DIST))).href;
const START_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 5_000;
/** A process that crashes on its own more often than this is left down (and said so). */
const MAX_CRASH_RESTARTS_PER_MINUTE = 5;

type State = 'down' | 'starting' | 'running' | 'stopping';

/**
 * One shop process: started from the built files with its environment, watched, restarted if it
 * crashes on its own, killed on purpose by chaos, and stopped for good by {@link stop}.
 *
 * Each child runs in its own process group (`detached`), so Ctrl-C in a terminal reaches only the
 * parent, which stops the children in order; each child also exits when its IPC channel to the
 * parent closes, so even a parent killed with SIGKILL leaves no orphans.
 */
export class ServiceProcess {
  private child: ChildProcess | null = null;
  private state: State = 'down';
  private stopped = false;
  private readonly controls = new Map<string, ControlMessage>();
  private readonly crashes: number[] = [];
  private readonly recentStderr: string[] = [];

  constructor(
    readonly spec: ProcessSpec,
    private readonly env: NodeJS.ProcessEnv,
    private readonly log: (line: string) => void,
  ) {}

  get name(): string {
    return this.spec.name;
  }
  get pid(): number | null {
    return this.child?.pid ?? null;
  }
  get running(): boolean {
    return this.state === 'running';
  }

  /** Starts the process and resolves once it listens; rejects if it exits or hangs first. */
  start(): Promise<void> {
    if (this.stopped) return Promise.reject(new Error(`${this.name} was stopped`));
    if (this.state !== 'down') return Promise.reject(new Error(`${this.name} is ${this.state}`));
    this.state = 'starting';
    const args = [
      '--max-old-space-size=192',
      ...(this.spec.instrumentation === 'otel' ? ['--import', OTEL_PRELOAD] : []),
      fileURLToPath(new URL(this.spec.script, DIST)),
    ];
    const child = spawn(process.execPath, args, { env: this.env, stdio: ['ignore', 'ignore', 'pipe', 'ipc'], detached: true });
    this.child = child;
    child.stderr!.setEncoding('utf8');
    let partial = '';
    child.stderr!.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop()!;
      for (const line of lines.filter(Boolean)) {
        this.recentStderr.push(line);
        if (this.recentStderr.length > 20) this.recentStderr.shift();
        this.log(`[${this.name}] ${line}`);
      }
    });
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${this.name} did not start within ${START_TIMEOUT_MS / 1000} s${this.stderrTail()}`));
      }, START_TIMEOUT_MS);
      child.on('message', (msg: ChildMessage) => {
        if (msg.type !== 'ready' || child !== this.child) return;
        clearTimeout(timer);
        this.state = 'running';
        for (const c of this.controls.values()) child.send(c);
        resolve();
      });
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        const was = this.state;
        if (child !== this.child) return;
        this.child = null;
        this.state = 'down';
        if (was === 'starting') reject(new Error(`${this.name} exited (${signal ?? `code ${code}`}) while starting${this.stderrTail()}`));
        else if (was === 'running' && !this.stopped) this.crashed(code, signal);
      });
    });
  }

  /** Kills the process as a crash would (SIGKILL), without restarting it: chaos does that. */
  kill(): void {
    if (!this.child || this.state === 'stopping') return;
    const child = this.child;
    this.state = 'stopping';
    child.kill('SIGKILL');
  }

  /** Stops the process for good: SIGTERM (services flush their spans), SIGKILL after 5 s. */
  async stop(): Promise<void> {
    this.stopped = true;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    this.state = 'stopping';
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }

  /** Sends a chaos command now if the process runs, and again every time it (re)starts. */
  control(msg: ControlMessage): void {
    this.controls.set(msg.type, msg);
    if (this.state === 'running' && this.child?.connected) this.child.send(msg);
  }

  /** Last resort when the parent is exiting without having stopped: no orphans. */
  killNow(): void {
    this.stopped = true;
    this.child?.kill('SIGKILL');
  }

  private crashed(code: number | null, signal: NodeJS.Signals | null): void {
    const now = Date.now();
    this.crashes.push(now);
    while (this.crashes.length && this.crashes[0]! < now - 60_000) this.crashes.shift();
    if (this.crashes.length > MAX_CRASH_RESTARTS_PER_MINUTE) {
      this.log(
        `${this.name} crashed ${this.crashes.length} times in a minute (${signal ?? `code ${code}`}); leaving it down${this.stderrTail()}`,
      );
      return;
    }
    this.log(`${this.name} exited on its own (${signal ?? `code ${code}`}); restarting it`);
    setTimeout(() => {
      if (!this.stopped && this.state === 'down') this.start().catch((err: Error) => this.log(err.message));
    }, 1_000).unref();
  }

  private stderrTail(): string {
    return this.recentStderr.length ? `:\n  ${this.recentStderr.join('\n  ')}` : '';
  }
}
