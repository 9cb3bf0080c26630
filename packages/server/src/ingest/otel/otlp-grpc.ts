import { Server, ServerCredentials, status, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import { encodeExportResponse } from '@fluoro/core';
import { formatAddress, type ListenAddress } from '../../config/address.js';
import { authenticate, requireAccess } from '../../platform/auth/authenticate.js';
import type { AccessKeys } from '../../platform/auth/keys.js';
import { FluoroError } from '../../platform/errors/catalog.js';
import { readTls, type TlsFiles } from '../../platform/http/tls.js';
import type { Logger } from '../../platform/telemetry/logger.js';
import type { Metrics } from '../../platform/telemetry/metrics.js';
import { summary } from './http.js';
import { OtelRequestRejected, type OtelIngest } from './otel-ingest.js';

/** TLS from the configured files (client certificates required when a client CA is given), or none. */
function credentialsOf(tls: TlsFiles | null): ServerCredentials {
  if (!tls) return ServerCredentials.createInsecure();
  const t = readTls(tls);
  return ServerCredentials.createSsl(
    t.ca ? Buffer.from(t.ca as Buffer) : null,
    [{ private_key: t.key as Buffer, cert_chain: t.cert as Buffer }],
    t.requestCert,
  );
}

const EXPORT = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
const raw = (b: Buffer): Buffer => b;

export interface RunningGrpcServer {
  readonly address: ListenAddress;
  close(): Promise<void>;
}

/**
 * OTLP/gRPC: the `TraceService/Export` method, served with grpc-js on raw bytes (Fluoro's own
 * decoder reads the protobuf; grpc-js handles framing and message compression). An undecodable
 * request gets INVALID_ARGUMENT with the reason; when Fluoro cannot take spans now, UNAVAILABLE
 * (which OTLP exporters retry); refused spans are reported in `partial_success`.
 */
export async function startOtlpGrpc(
  address: ListenAddress,
  otel: OtelIngest,
  maxBodyBytes: number,
  log: Logger,
  metrics: Metrics,
  keys: AccessKeys | null = null,
  tls: TlsFiles | null = null,
): Promise<RunningGrpcServer> {
  const calls = metrics.counter('fluoro_grpc_requests_total', 'OTLP/gRPC calls answered, by status code.');
  const server = new Server({ 'grpc.max_receive_message_length': maxBodyBytes });
  const answer = (callback: sendUnaryData<Buffer>, code: status, details: string, value?: Buffer): void => {
    calls.inc({ code: status[code] ?? String(code) });
    if (code === status.OK) callback(null, value);
    else callback({ code, details });
  };
  server.addService(
    {
      Export: {
        path: EXPORT,
        requestStream: false,
        responseStream: false,
        requestSerialize: raw,
        requestDeserialize: raw,
        responseSerialize: raw,
        responseDeserialize: raw,
      },
    },
    {
      Export: (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>) => {
        // With access keys, an exporter sends `authorization: Bearer <secret>` (or Basic) as metadata.
        const admitted = keys ? admit(call, keys) : Promise.resolve(null);
        admitted.then(
          (refusal) => {
            if (refusal) answer(callback, refusal.code, refusal.details);
            else exportSpans(call, callback);
          },
          (err: unknown) => answer(callback, status.INTERNAL, String(err)),
        );
      },
    },
  );
  function exportSpans(call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>): void {
    // UNAVAILABLE is what OTLP/gRPC exporters retry with backoff.
    const refused = otel.admit('otlp_grpc');
    if (refused) return answer(callback, status.UNAVAILABLE, refused.message);
    void otel
      .ingest('otlp_grpc', 'otlp-protobuf', false, call.request)
      .finally(() => otel.release())
      .then(
        (outcome) => answer(callback, status.OK, '', Buffer.from(encodeExportResponse(outcome.rejected, summary(outcome)))),
        (err: unknown) => {
          if (!(err instanceof OtelRequestRejected)) {
            log.error('OTLP/gRPC export failed', { error: (err as Error)?.stack ?? String(err) });
            answer(callback, status.INTERNAL, `internal error: ${(err as Error)?.message ?? String(err)}`);
          } else if (err.reason === 'undecodable' || err.reason === 'too_large') answer(callback, status.INVALID_ARGUMENT, err.message);
          else answer(callback, status.UNAVAILABLE, err.message);
        },
      );
  }
  async function admit(call: ServerUnaryCall<Buffer, Buffer>, keys: AccessKeys): Promise<{ code: status; details: string } | null> {
    const header = call.metadata.get('authorization')[0];
    try {
      const signed = {
        method: 'POST',
        path: EXPORT,
        query: new URLSearchParams(),
        headers: header === undefined ? {} : { authorization: String(header) },
      };
      requireAccess(await authenticate(signed, async () => call.request, keys), signed, ['ingest']);
      return null;
    } catch (err) {
      if (!(err instanceof FluoroError)) throw err;
      return { code: err.status === 401 ? status.UNAUTHENTICATED : status.PERMISSION_DENIED, details: err.message };
    }
  }
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(formatAddress(address), credentialsOf(tls), (err, p) =>
      err ? reject(Object.assign(err, { address: address.host, port: address.port })) : resolve(p),
    ),
  );
  return {
    address: { host: address.host, port },
    close: () =>
      new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
      }),
  };
}
