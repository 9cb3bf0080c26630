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
 * Serves the built console: its files, and `index.html` for every other GET that is not an API
 * path, so the console's own routes (`/traces/…`) work on reload and in shared links. Hashed
 * files under `/assets/` are cached for a year; `index.html` never is. Returns false when the
 * console is not built (the caller serves the landing page instead).
 */
export function mountConsole(router: Router, dir: string = CONSOLE_DIR): boolean {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) return false;
  const root = normalize(dir.endsWith(sep) ? dir : dir + sep);
  const serveIndex = async (): Promise<HttpResponse> => ({
    status: 200,
    body: await readFile(index),
    contentType: TYPES['.html'],
    headers: { 'cache-control': 'no-cache' },
  });
  router.add('GET', '/', serveIndex);
  router.addPrefix('GET', '/', async (req) => {
    const ext = extname(req.path);
    if (req.path.startsWith('/api/')) throw new FluoroError('UnknownOperation', `no operation at GET ${req.path}`);
    if (!ext) return serveIndex();
    const file = normalize(join(root, decodeURIComponent(req.path)));
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
