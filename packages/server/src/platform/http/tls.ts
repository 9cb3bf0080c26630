import { readFileSync } from 'node:fs';
import type { SecureContextOptions } from 'node:tls';

/** Certificate files for the TCP listeners (`tls.*`): see docs/security.md. */
export interface TlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
  /** When set, clients must present a certificate this CA signed. */
  readonly clientCaFile: string;
}

/** The files' contents as Node's TLS options; throws an Error naming a file that cannot be read. */
export function readTls(files: TlsFiles): SecureContextOptions & { requestCert: boolean; rejectUnauthorized: boolean } {
  const read = (path: string, what: string): Buffer => {
    try {
      return readFileSync(path);
    } catch (err) {
      throw new Error(`cannot read the TLS ${what} ${path}: ${(err as Error).message}`);
    }
  };
  const ca = files.clientCaFile ? read(files.clientCaFile, 'client CA') : undefined;
  return {
    cert: read(files.certFile, 'certificate'),
    key: read(files.keyFile, 'key'),
    ...(ca ? { ca } : {}),
    requestCert: ca !== undefined,
    rejectUnauthorized: ca !== undefined,
  };
}
