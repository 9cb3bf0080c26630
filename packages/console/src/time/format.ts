/**
 * The console's one way of writing a point in time: `2026-12-03 14:03:07 UTC`, or with
 * milliseconds `2026-12-03 14:03:07.123 UTC`, always with the zone it is in. The zone is UTC (as
 * the terminal, the demo's chaos lines and Fluoro's logs print) or the browser's local zone
 * (`2026-12-03 15:03:07 CET`), chosen with the header's switch and kept in the URL as `tz`.
 */
export type Zone = 'utc' | 'local';

export const DEFAULT_ZONE: Zone = 'utc';
export const ZONE_PARAM = 'tz';

/** The zone a URL asks for: `tz=local`, else UTC. */
export function zoneFromParams(params: URLSearchParams): Zone {
  return params.get(ZONE_PARAM) === 'local' ? 'local' : 'utc';
}

/** The URL parameter for a zone (UTC, the default, leaves it out). */
export function zoneParam(zone: Zone): Record<string, string | null> {
  return { [ZONE_PARAM]: zone === DEFAULT_ZONE ? null : zone };
}

let seenSearch: string | null = null;
let seenZone: Zone = DEFAULT_ZONE;

/**
 * The zone of the page being shown, read from its URL. Every page re-renders when the URL
 * changes (the router's subscription), so formatting at render time follows the switch.
 */
export function currentZone(): Zone {
  if (typeof location === 'undefined') return DEFAULT_ZONE;
  if (location.search !== seenSearch) {
    seenSearch = location.search;
    seenZone = zoneFromParams(new URLSearchParams(location.search));
  }
  return seenZone;
}

/** An IANA zone for Intl: UTC, or undefined for the browser's own. */
const intlZone = (zone: Zone | string): string | undefined => (zone === 'utc' ? 'UTC' : zone === 'local' ? undefined : zone);

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: Zone | string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    // The locale only names the zone (`CET`, `EST`, `GMT+5:30`); the digits are laid out below.
    f = new Intl.DateTimeFormat(undefined, {
      timeZone: intlZone(zone),
      calendar: 'gregory',
      numberingSystem: 'latn',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    formatters.set(zone, f);
  }
  return f;
}

interface Parts {
  date: string;
  time: string;
  zone: string;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * The calendar parts of an instant in a zone: `Zone`, or an IANA name (for tests and callers
 * that know better).
 */
function parts(epochSeconds: number, zone: Zone | string, ms: boolean): Parts {
  const millis = Math.floor(epochSeconds * 1000);
  const p: Record<string, string> = {};
  for (const x of formatter(zone).formatToParts(new Date(millis))) p[x.type] = x.value;
  const fraction = ms ? `.${pad(((millis % 1000) + 1000) % 1000, 3)}` : '';
  return {
    date: `${p['year']}-${p['month']}-${p['day']}`,
    time: `${p['hour']}:${p['minute']}:${p['second']}${fraction}`,
    zone: zone === 'utc' ? 'UTC' : (p['timeZoneName'] ?? ''),
  };
}

/** `2026-12-03 14:03:07 UTC` (`…:07.123 UTC` with `ms`), in the page's zone unless told. */
export function formatTime(epochSeconds: number, ms = false, zone: Zone | string = currentZone()): string {
  const p = parts(epochSeconds, zone, ms);
  return `${p.date} ${p.time} ${p.zone}`;
}

/** `14:03:07 UTC`: the time of day alone, for what happened today (an update, a refresh). */
export function formatClock(epochSeconds: number, ms = false, zone: Zone | string = currentZone()): string {
  const p = parts(epochSeconds, zone, ms);
  return `${p.time} ${p.zone}`;
}

/**
 * A range: `2026-12-03 14:00:00 – 15:00:00 UTC` within a day,
 * `2026-12-03 22:00:00 – 2026-12-04 02:00:00 UTC` across midnight; the zone once when both
 * ends are in the same one (a DST change between them names both).
 */
export function formatRange(start: number, end: number, zone: Zone | string = currentZone()): string {
  const a = parts(start, zone, false);
  const b = parts(end, zone, false);
  const to = a.date === b.date ? b.time : `${b.date} ${b.time}`;
  return a.zone === b.zone ? `${a.date} ${a.time} – ${to} ${b.zone}` : `${a.date} ${a.time} ${a.zone} – ${to} ${b.zone}`;
}

/** The zone's short name at an instant: `UTC`, `CET`, `GMT+5:30`. */
export function zoneName(zone: Zone | string = currentZone(), epochSeconds = Date.now() / 1000): string {
  return parts(epochSeconds, zone, false).zone;
}

/** An axis tick: `14:05`, or `14:05:30` when the ticks are less than a minute apart. */
export function formatTick(epochSeconds: number, stepSeconds: number, zone: Zone | string = currentZone()): string {
  const t = parts(epochSeconds, zone, false).time;
  return stepSeconds < 60 ? t : t.slice(0, 5);
}

/** For `<input type="datetime-local" step="1">`: `2026-12-03T14:03:07` in the zone. */
export function toInputValue(epochSeconds: number, zone: Zone = currentZone()): string {
  const p = parts(epochSeconds, zone, false);
  return `${p.date}T${p.time}`;
}

/** The instant a `datetime-local` value means in the zone; null for an empty or bad value. */
export function fromInputValue(value: string, zone: Zone = currentZone()): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/.exec(value.trim());
  if (!m) return null;
  const n = (i: number) => Number(m[i] ?? 0);
  const fields = [n(1), n(2) - 1, n(3), n(4), n(5), n(6), Number((m[7] ?? '0').padEnd(3, '0'))] as const;
  const t = zone === 'utc' ? Date.UTC(...fields) : new Date(...fields).getTime();
  return Number.isFinite(t) ? t / 1000 : null;
}
