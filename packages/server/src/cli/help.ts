import { envName, flagName, SETTINGS } from '../config/schema.js';
import type { KeyedSetting } from '../config/settings.js';

/**
 * What `fluoro --help` and `fluoro start --help` print: the first a page to find the command
 * (what each does, a few examples), the second everything `start` and `config` take.
 */

/** Help text is wrapped to this many columns. */
const WIDTH = 100;

export const OVERVIEW = `Fluoro: distributed tracing for microservices, X-Ray-compatible and OpenTelemetry-native.

Usage: fluoro <command> [flags]

Commands:
  start          Start Fluoro in the foreground: store, receivers, X-Ray API, console
  config         Print the configuration start would use, as YAML
  sampling       Import or export sampling rules as an X-Ray SDK rules file
  demo           Run the demo shop (services, load, chaos) against a running Fluoro
  hash-password  Print the hash of a password read from stdin, for a console user
  version        Print the version
  help           Show this, or a command's help: fluoro help <command>

Examples:
  fluoro start                                     # on 127.0.0.1:2000 (UDP and HTTP), data in ./fluoro-data
  fluoro start --data-dir /var/lib/fluoro --retention.max-age 7d
  fluoro config --config fluoro.yaml               # the settings start would use, defaults included
  fluoro sampling export --out rules.json          # the sampling rules of a running Fluoro
  fluoro demo --rate 10                            # the demo shop against the Fluoro on 127.0.0.1:2000

Each command has its own help: fluoro <command> --help (fluoro start --help lists every flag).
`;

/** A placeholder for a flag's value, from what its values look like. */
function placeholder(s: KeyedSetting): string {
  if (s.key === 'dataDir') return 'DIR';
  if (/File$/.test(s.key)) return 'FILE';
  if (s.format.startsWith('integer')) return 'N';
  if (s.format.startsWith('host:port')) return 'HOST:PORT';
  if (s.format.startsWith('bytes')) return 'SIZE';
  if (s.format.startsWith('duration')) return 'DURATION';
  if (s.format.startsWith('comma-separated')) return 'LIST';
  if (s.format === 'true | false') return '[true|false]';
  if (s.format.includes(' | ')) return s.format.replace(/ \| /g, '|');
  return 'VALUE';
}

/** `text` in lines of at most WIDTH columns, each starting with `indent`. */
function wrap(text: string, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && indent.length + line.length + 1 + word.length > WIDTH) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(indent + line);
  return lines.join('\n');
}

function flagHelp(s: KeyedSetting): string {
  const shown = s.show(s.default);
  // What the values look like, where the placeholder does not say it all.
  const values =
    ['text', 'true | false', 'comma-separated list'].includes(s.format) || /^[a-z]+( \| [a-z]+)+$/.test(s.format)
      ? ''
      : ` Values: ${s.format}.`;
  return `  ${flagName(s.key)} ${placeholder(s)}    default ${shown}, ${envName(s.key)}\n${wrap(`${s.description}${values}`, '      ')}`;
}

export const START_USAGE = `Usage: fluoro start [flags]     Start Fluoro in the foreground
       fluoro config [flags]    Print the configuration start would use, as YAML

Fluoro keeps its data in an embedded DuckDB file and serves, on the HTTP port, the X-Ray API,
OTLP/HTTP, health (/healthz, /readyz), Prometheus metrics (/metrics) and the console (/). It
listens on loopback only unless access keys are configured (or --insecure). Ctrl-C (SIGINT) or
SIGTERM stores everything received, then exits.

Examples:
  fluoro start
  fluoro start --data-dir /var/lib/fluoro --retention.max-age 7d --retention.max-bytes 20GB
  fluoro start --http 0.0.0.0:2000 --udp 0.0.0.0:2000 --auth.keys-file /etc/fluoro/keys.yaml
  FLUORO_LOG_FORMAT=json fluoro start --otlp-grpc off --zipkin off
  fluoro config --config fluoro.yaml --http 127.0.0.1:8080

Flags (each also FLUORO_<NAME> in the environment and a key of the config file given with
--config FILE or FLUORO_CONFIG; flags win over the environment, which wins over the file):
  --config FILE
      YAML or JSON config file.
${SETTINGS.map(flagHelp).join('\n')}

On start, one line on stdout tells where Fluoro listens, for scripts:
  fluoro listening udp=127.0.0.1:2000 http=127.0.0.1:2000 otlp-http=127.0.0.1:4318 otlp-grpc=127.0.0.1:4317 zipkin=127.0.0.1:9411 data=/abs/path/fluoro-data
`;
