import { createSocket, type Socket } from 'node:dgram';
import { formatAddress, type ListenAddress } from '../config/address.js';
import type { IngestPipeline } from '../pipeline/pipeline.js';
import type { Logger } from '../telemetry/logger.js';
import type { Metrics } from '../telemetry/metrics.js';
import type { DocumentIngest } from './documents.js';

const NEWLINE = 0x0a;
/** What X-Ray SDKs send; compared byte for byte before falling back to parsing the header. */
const CANONICAL_HEADER = Buffer.from('{"format":"json","version":1}');

/**
 * The X-Ray daemon protocol (spec §2.1): each datagram is a JSON header line, `\n`, and one
 * segment document. A datagram without a newline or with an empty body, or whose header is not
 * `format: json` (any case) and `version: 1`, is refused and counted; nothing here throws.
 */
export class UdpReceiver {
  #socket: Socket | null = null;

  constructor(
    private readonly documents: DocumentIngest,
    private readonly pipeline: IngestPipeline,
    private readonly log: Logger,
    private readonly metrics: Metrics,
  ) {}

  /** Binds and resolves with the bound address (port 0 resolved to the chosen port). */
  async listen(address: ListenAddress, receiveBufferBytes: number): Promise<ListenAddress> {
    const socket = createSocket({ type: address.host.includes(':') ? 'udp6' : 'udp4', recvBufferSize: receiveBufferBytes });
    this.#socket = socket;
    socket.on('message', (msg) => this.#onDatagram(msg));
    socket.on('error', (err) => this.log.error('UDP socket error', { error: err.message }));
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(address.port, address.host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    let granted = 0;
    try {
      granted = socket.getRecvBufferSize();
    } catch {
      // Not all platforms report it.
    }
    this.metrics.gauge('fluoro_udp_receive_buffer_bytes', 'Receive buffer the kernel granted the UDP socket.', () => granted);
    if (granted && granted < receiveBufferBytes / 2) {
      this.log.warn('the kernel capped the UDP receive buffer; bursts may drop datagrams (raise net.core.rmem_max)', {
        asked: receiveBufferBytes,
        granted,
      });
    }
    const bound = socket.address();
    return { host: bound.address, port: bound.port };
  }

  close(): Promise<void> {
    const socket = this.#socket;
    this.#socket = null;
    if (!socket) return Promise.resolve();
    return new Promise((resolve) => socket.close(() => resolve()));
  }

  #onDatagram(msg: Buffer): void {
    const nl = msg.indexOf(NEWLINE);
    if (nl < 0 || nl === msg.length - 1 || isBlank(msg, nl + 1)) {
      this.documents.received.inc({ receiver: 'udp' });
      this.documents.reject('udp', 'MissingHeader', 'datagram has no header line or no segment document after it');
      return;
    }
    if (!(nl === CANONICAL_HEADER.length && msg.compare(CANONICAL_HEADER, 0, nl, 0, nl) === 0) && !validHeader(msg.toString('utf8', 0, nl))) {
      this.documents.received.inc({ receiver: 'udp' });
      this.documents.reject('udp', 'InvalidHeader', `datagram header ${JSON.stringify(msg.toString('utf8', 0, Math.min(nl, 80)))} is not {"format":"json","version":1}`);
      return;
    }
    const parsed = this.documents.parse('udp', msg.toString('utf8', nl + 1), msg.length - nl - 1);
    if ('spans' in parsed) this.pipeline.offer(parsed.spans, msg.length);
  }

  get address(): string | null {
    if (!this.#socket) return null;
    const a = this.#socket.address();
    return formatAddress({ host: a.address, port: a.port });
  }
}

function isBlank(msg: Buffer, from: number): boolean {
  for (let i = from; i < msg.length; i++) {
    const c = msg[i]!;
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return false;
  }
  return true;
}

function validHeader(text: string): boolean {
  try {
    const h = JSON.parse(text) as { format?: unknown; version?: unknown };
    return typeof h.format === 'string' && h.format.toLowerCase() === 'json' && h.version === 1;
  } catch {
    return false;
  }
}
