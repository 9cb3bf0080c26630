import type { ReactNode } from 'react';
import { useAbout } from '../app/context';

export function Loading({ what }: { what: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> Loading {what}…
    </div>
  );
}

/** Says what failed, with the server's own message, and offers to try again. */
export function ErrorState({ error, retry, title = 'Something failed.' }: { error: Error; retry?: () => void; title?: string }) {
  return (
    <div className="state state-error" role="alert" data-testid="error-state">
      <strong>{title}</strong> <span className="mono">{error.message}</span>
      {retry && (
        <button type="button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

/**
 * No data: says exactly how to send some to this Fluoro, with its real listen addresses.
 */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  const about = useAbout();
  const l = about?.listeners;
  return (
    <div className="state state-empty" data-testid="empty-state">
      <h2>{title}</h2>
      {children}
      <p>Send traces to this Fluoro and they appear here within a second:</p>
      <ul className="send-howto">
        {l?.udp ? (
          <li>
            <b>X-Ray SDKs</b> send segments over UDP to <code>{l.udp}</code>:{' '}
            <code className="copyable">export AWS_XRAY_DAEMON_ADDRESS={l.udp}</code>
          </li>
        ) : (
          <li>
            UDP segment ingest is disabled on this Fluoro (start it with <code>--udp 127.0.0.1:2000</code>).
          </li>
        )}
        {l?.http && (
          <li>
            <b>PutTraceSegments</b> and the AWS CLI use the X-Ray API at <code>http://{l.http}</code> (
            <code>aws xray put-trace-segments --endpoint-url http://{l.http} …</code>).
          </li>
        )}
        {l?.otlpHttp ? (
          <li>
            <b>OpenTelemetry SDKs</b>:{' '}
            <code className="copyable">
              export OTEL_EXPORTER_OTLP_ENDPOINT=http://{l.otlpHttp} OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf
            </code>
            {l.otlpGrpc && (
              <>
                {' '}
                (gRPC: <code>{l.otlpGrpc}</code>)
              </>
            )}
          </li>
        ) : (
          <li>OTLP ingest is not enabled on this Fluoro.</li>
        )}
        {l?.zipkin && (
          <li>
            <b>Zipkin</b> v2 spans: <code>http://{l.zipkin}/api/v2/spans</code>
          </li>
        )}
      </ul>
    </div>
  );
}
