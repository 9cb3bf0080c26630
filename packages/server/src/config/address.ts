/** A listen address; `null` means the listener is disabled. */
export interface ListenAddress {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
}

const DISABLED = new Set(['0', 'off', 'false', 'disabled', 'none']);

/**
 * Parses `host:port`, `[ipv6]:port` or a bare port (on 127.0.0.1). `0`, `off`, `false`,
 * `disabled` or `none` disable the listener; `host:0` picks a free port. Returns an error message
 * instead of throwing.
 */
export function parseAddress(value: string): ListenAddress | null | { error: string } {
  const v = value.trim();
  if (DISABLED.has(v.toLowerCase())) return null;
  let host: string;
  let portText: string;
  const v6 = /^\[([0-9a-fA-F:.]+)\]:(\d+)$/.exec(v);
  if (v6) {
    host = v6[1]!;
    portText = v6[2]!;
  } else if (/^\d+$/.test(v)) {
    host = '127.0.0.1';
    portText = v;
  } else {
    const i = v.lastIndexOf(':');
    if (i <= 0 || v.indexOf(':') !== i) return { error: `"${value}" is not an address (expected host:port, a port, or 0 to disable)` };
    host = v.slice(0, i);
    portText = v.slice(i + 1);
  }
  if (!/^\d+$/.test(portText)) return { error: `"${value}" has no valid port` };
  const port = Number(portText);
  if (port > 65535) return { error: `port ${port} in "${value}" is above 65535` };
  return { host, port };
}

export function formatAddress(a: ListenAddress): string {
  return a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}

/** True for addresses that only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}
