import { DEFAULTS } from '../options.js';

export const USAGE = `Usage: fluoro demo [flags]      (also: fluoro-demo-shop [flags])

Runs Fluoro's demo shop — seven services, a DynamoDB-compatible endpoint, a payment API stub, a
load generator and chaos — sending traces to a Fluoro that is already running.

  --fluoro-http HOST:PORT   Fluoro's HTTP port (X-Ray API)              [127.0.0.1:2000]
  --fluoro-udp HOST:PORT    Fluoro's UDP port (X-Ray SDK segments)      [same as --fluoro-http]
  --fluoro-otlp HOST:PORT   Fluoro's OTLP/HTTP port                     [same as --fluoro-http]
  --rate N                  requests per second from the load generator [${DEFAULTS.rate}]
  --chaos on|off            incidents every 2–5 minutes                 [on]
  --chaos-every D[-D]       time between incidents, e.g. 30s or 1m-3m   [2m-5m]
  --duration D              stop after D, e.g. 90s, 10m, 1h             [until Ctrl-C]
  --help

While it runs: press c (in a terminal) or send SIGUSR2 to turn chaos on or off; Ctrl-C (or
SIGTERM) stops everything.
`;

export interface DemoArgs {
  readonly fluoroHttp: string;
  readonly fluoroUdp: string;
  readonly fluoroOtlp: string;
  readonly rate: number;
  readonly chaos: boolean;
  readonly chaosEveryMs: readonly [number, number];
  readonly durationMs: number | undefined;
  readonly help: boolean;
}

export class ArgsError extends Error {}

/** `90s`, `10m`, `1h30m`, `500ms`, or a bare number of seconds, as milliseconds. */
export function parseDuration(text: string): number {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text)
    throw new ArgsError(`"${text}" is not a duration (examples: 90s, 10m, 1h30m)`);
  return parts.reduce((sum, p) => sum + Number(p[1]) * units[p[2]!]!, 0);
}

function address(flag: string, text: string): string {
  if (!/^[^\s:]+:\d{1,5}$/.test(text)) throw new ArgsError(`${flag} must be HOST:PORT, not "${text}"`);
  return text;
}

export function parseArgs(argv: readonly string[]): DemoArgs {
  const values = new Map<string, string>();
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (!['--fluoro-http', '--fluoro-udp', '--fluoro-otlp', '--rate', '--chaos', '--chaos-every', '--duration'].includes(flag))
      throw new ArgsError(`unknown flag ${flag}`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new ArgsError(`${flag} needs a value`);
    values.set(flag, value);
  }
  const http = address('--fluoro-http', values.get('--fluoro-http') ?? '127.0.0.1:2000');
  const rateText = values.get('--rate') ?? String(DEFAULTS.rate);
  const rate = Number(rateText);
  if (!Number.isFinite(rate) || rate < 0 || rate > 1000) throw new ArgsError(`--rate must be a number from 0 to 1000, not "${rateText}"`);
  const chaosText = values.get('--chaos') ?? 'on';
  if (chaosText !== 'on' && chaosText !== 'off') throw new ArgsError(`--chaos must be on or off, not "${chaosText}"`);
  const everyText = values.get('--chaos-every');
  let chaosEveryMs: readonly [number, number] = DEFAULTS.chaosEveryMs;
  if (everyText !== undefined) {
    const [a, b = a] = everyText.split('-');
    chaosEveryMs = [parseDuration(a!), parseDuration(b!)];
    if (chaosEveryMs[0] <= 0 || chaosEveryMs[0] > chaosEveryMs[1])
      throw new ArgsError(`--chaos-every must be D or MIN-MAX with 0 < MIN ≤ MAX, not "${everyText}"`);
  }
  const durationText = values.get('--duration');
  const durationMs = durationText === undefined ? undefined : parseDuration(durationText);
  if (durationMs !== undefined && durationMs <= 0) throw new ArgsError('--duration must be more than 0');
  return {
    fluoroHttp: http,
    fluoroUdp: address('--fluoro-udp', values.get('--fluoro-udp') ?? http),
    fluoroOtlp: address('--fluoro-otlp', values.get('--fluoro-otlp') ?? http),
    rate,
    chaos: chaosText === 'on',
    chaosEveryMs,
    durationMs,
    help,
  };
}
