import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FluoroError } from '../../platform/errors/catalog.js';
import type { HttpResponse, Router } from '../../platform/http/router.js';

/** Where `npm run build` puts the console, next to this package in the workspace. */
export const CONSOLE_DIR = fileURLToPath(new URL('../../../../console/dist/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Headers of every console page: no framing (clickjacking), no sniffing, and a policy that lets the
 * page run only its own files and the inline scripts it was built with (listed by hash), and talk
 * only to the origin that served it.
 */
export function pageHeaders(html: string): Record<string, string> {
  const hashes = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(
    (m) => `'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`,
  );
  return {
    'content-security-policy': [
      "default-src 'self'",
      `script-src 'self' ${hashes.join(' ')}`.trim(),
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      "worker-src 'self' blob:",
      "connect-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join('; '),
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
  };
}

/**
 * Serves the built console: its files, and `index.html` for every other GET that is not an API
 * path, so the console's own routes (`/traces/…`) work on reload and in shared links. Hashed
 * files under `/assets/` are cached for a year; `index.html` never is. Returns false when the
 * console is not built (the caller serves the landing page instead).
 */
export function mountConsole(router: Router, dir: string = CONSOLE_DIR): boolean {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) return false;
  const root = normalize(dir.endsWith(sep) ? dir : dir + sep);
  const serveIndex = async (): Promise<HttpResponse> => {
    const body = await readFile(index);
    return {
      status: 200,
      body,
      contentType: TYPES['.html'],
      headers: { 'cache-control': 'no-cache', ...pageHeaders(body.toString('utf8')) },
    };
  };
  router.add('GET', '/', 'public', serveIndex);
  router.addPrefix('GET', '/', 'public', async (req) => {
    const ext = extname(req.path);
    if (req.path.startsWith('/api/')) throw new FluoroError('UnknownOperation', `no operation at GET ${req.path}`);
    if (!ext) return serveIndex();
    let decoded: string;
    try {
      decoded = decodeURIComponent(req.path);
    } catch {
      throw new FluoroError('InvalidRequest', `the path ${req.path} is not valid percent-encoding`);
    }
    const file = normalize(join(root, decoded));
    if (!file.startsWith(root)) throw new FluoroError('UnknownOperation', `no file at ${req.path}`);
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      throw new FluoroError('UnknownOperation', `no file at ${req.path}`);
    }
    const immutable = req.path.startsWith('/assets/');
    return {
      status: 200,
      body,
      contentType: TYPES[ext] ?? 'application/octet-stream',
      headers: { 'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache' },
    };
  });
  return true;
}
