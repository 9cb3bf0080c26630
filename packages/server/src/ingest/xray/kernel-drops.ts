import { readFileSync } from 'node:fs';
import type { ListenAddress } from '../../config/address.js';

/**
 * Datagrams the kernel dropped for a UDP socket because its receive buffer was full
 * (`RcvbufErrors`, per socket): the last column of `/proc/net/udp` (`udp6` for IPv6 sockets).
 * Null where there is no such file (not Linux) or no such socket.
 */
export function kernelUdpDrops(bound: ListenAddress, procRoot = '/proc'): number | null {
  const port = bound.port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['udp', 'udp6']) {
    let text: string;
    try {
      text = readFileSync(`${procRoot}/net/${table}`, 'utf8');
    } catch {
      continue;
    }
    let drops: number | null = null;
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // sl local_address rem_address st tx:rx tr:tm retrnsmt uid timeout inode ref pointer drops
      if (cols.length < 13 || !cols[1]!.endsWith(`:${port}`)) continue;
      drops = (drops ?? 0) + Number(cols[12]);
    }
    if (drops !== null) return drops;
  }
  return null;
}
