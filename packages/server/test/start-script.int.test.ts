import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** `npm start` under a supervisor: a signal to the npm process reaches Fluoro, which drains and stops. */
describe('npm start', () => {
  it('stops Fluoro cleanly within seconds when the npm process gets SIGINT', async () => {
    const dir = tempDir('fluoro-npm-start-');
    const args = ['start', '--', '--no-demo', '--data-dir', dir.path, '--udp', '127.0.0.1:0', '--http', '127.0.0.1:0'];
    const npm = spawn('npm', [...args, '--otlp-http', '0', '--otlp-grpc', '0', '--zipkin', '0'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, so a failed test can stop all of it
    });
    let out = '';
    npm.stdout.on('data', (d: Buffer) => (out += d.toString()));
    npm.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => npm.on('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 90_000;
      while (!out.includes('fluoro listening') && Date.now() < deadline && npm.exitCode === null)
        await new Promise((r) => setTimeout(r, 100));
      expect(out).toContain('fluoro listening');
      const t = Date.now();
      npm.kill('SIGINT');
      const code = await Promise.race([exited, new Promise<'late'>((r) => setTimeout(() => r('late'), 15_000))]);
      expect(code, out).not.toBe('late');
      expect(Date.now() - t).toBeLessThan(15_000);
      expect(out).toMatch(/stopping: draining the ingest queue and closing the store signal=SIGINT/);
      expect(out).toMatch(/\bstopped\b/);
    } finally {
      if (npm.exitCode === null) process.kill(-npm.pid!, 'SIGKILL');
      dir.remove();
    }
  }, 120_000);
});
