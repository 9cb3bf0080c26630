import type { NodeKind } from './graph-model';

/** Which picture a node type gets, and what it is called. */
export function iconOf(kind: NodeKind, type: string): { icon: IconName; label: string } {
  if (kind === 'client') return { icon: 'client', label: 'Client' };
  if (kind === 'database') return { icon: 'database', label: type === 'Database::SQL' ? 'SQL database' : type.replace('Database::', '') };
  if (kind === 'remote') return { icon: 'remote', label: 'Remote API' };
  if (/DynamoDB/.test(type)) return { icon: 'dynamodb', label: type };
  if (/SQS/.test(type)) return { icon: 'queue', label: type };
  if (/SNS|EventBridge|Events/.test(type)) return { icon: 'topic', label: type };
  if (/S3/.test(type)) return { icon: 'bucket', label: type };
  if (/Lambda/.test(type)) return { icon: 'lambda', label: type };
  if (/EC2/.test(type)) return { icon: 'server', label: type };
  if (/ECS|EKS|Container/.test(type)) return { icon: 'container', label: type };
  if (kind === 'aws') return { icon: 'aws', label: type };
  return { icon: 'service', label: type === 'service' ? 'Service' : type };
}

export type IconName =
  'client' | 'service' | 'server' | 'container' | 'lambda' | 'dynamodb' | 'queue' | 'topic' | 'bucket' | 'database' | 'remote' | 'aws';

const PATHS: Record<IconName, string> = {
  // A person at a screen.
  client: 'M4 5h16v10H4z M9 19h6 M12 15v4',
  // A hexagon: a service of ours.
  service: 'M12 2.5l8.2 4.75v9.5L12 21.5l-8.2-4.75v-9.5z M12 8v8 M8 10l8 4 M16 10l-8 4',
  server: 'M4 4h16v6H4z M4 14h16v6H4z M7 7h.01 M7 17h.01',
  container: 'M3 7l9-4 9 4-9 4z M3 7v10l9 4 9-4V7 M12 11v10',
  lambda: 'M6 20l5-9-4-7h3l9 16h-3l-4-7-3 7z',
  dynamodb:
    'M5 6c0-1.7 3.1-3 7-3s7 1.3 7 3-3.1 3-7 3-7-1.3-7-3z M5 6v12c0 1.7 3.1 3 7 3s7-1.3 7-3V6 M5 12c0 1.7 3.1 3 7 3s7-1.3 7-3 M10 12l2-3 2 3-2 3z',
  queue: 'M3 8h18v8H3z M7 8v8 M11 8v8 M15 8v8',
  topic: 'M4 12h4l8-6v12l-8-6 M16 9c2 1 2 5 0 6',
  bucket: 'M4 6h16l-2 14H6z M4 6c0-1.5 3.6-2.5 8-2.5S20 4.5 20 6',
  database: 'M5 6c0-1.7 3.1-3 7-3s7 1.3 7 3-3.1 3-7 3-7-1.3-7-3z M5 6v12c0 1.7 3.1 3 7 3s7-1.3 7-3V6 M5 12c0 1.7 3.1 3 7 3s7-1.3 7-3',
  remote: 'M12 3a9 9 0 100 18 9 9 0 000-18z M3 12h18 M12 3c3 3.5 3 14.5 0 18 M12 3c-3 3.5-3 14.5 0 18',
  aws: 'M7 17c-2.8 0-4-1.8-4-3.8 0-2 1.6-3.6 3.6-3.6.6-2.7 2.9-4.6 5.6-4.6 3.1 0 5.6 2.4 5.8 5.4 1.9.3 3 1.6 3 3.2 0 1.9-1.4 3.4-3.5 3.4z',
};

export function NodeIcon({ name, size = 24 }: { name: IconName; size?: number }) {
  return (
    <svg
      className={`node-icon icon-${name}`}
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.6"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
    >
      <path d={PATHS[name]} />
    </svg>
  );
}
