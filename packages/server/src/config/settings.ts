import { formatAddress, parseAddress, type ListenAddress } from './address.js';

/**
 * The vocabulary each module declares its settings in. A module writes a tree of settings at the
 * paths users see (`defineSettings({ ingest: { queueMaxSpans: setting.int(…) } })`); the type of
 * its configuration is inferred from that tree (`ConfigOf<typeof TREE>`), so no interface is
 * declared twice. `composeSettings` joins the modules' trees into Fluoro's one schema.
 */

export type Parsed<T> = { readonly value: T } | { readonly error: string };

/** One setting: its default and description beside how it is read and shown. */
export interface Setting<T> {
  readonly default: T;
  readonly description: string;
  /** What values look like, for help and docs. */
  readonly format: string;
  /**
   * Reads a value from a file (any YAML or JSON value) or from text (a variable or a flag).
   * Returns an error message, never throws; the message does not name the source (the caller
   * prefixes the file key, variable or flag).
   */
  parse(raw: unknown): Parsed<T>;
  /** The value as a user would write it (help, docs, `fluoro config`). */
  show(value: T): string;
}

/**
 * Settings and groups of settings by key. A group's values are always objects (settings or
 * groups), so a setting is told apart by its `parse` function.
 */
export interface SettingsTree {
  readonly [key: string]: Setting<unknown> | SettingsTree;
}

/** The configuration a tree of settings describes: each setting replaced by its value type. */
export type ConfigOf<T> = { readonly [K in keyof T]: T[K] extends Setting<infer V> ? V : ConfigOf<T[K]> };

/** A setting with its dotted path (`ingest.queueMaxSpans`), as listed by `settingsOf`. */
export interface KeyedSetting extends Setting<unknown> {
  readonly key: string;
}

/** The intersection of a tuple of types: what `composeSettings` returns. */
export type Composed<T extends readonly unknown[]> = T extends readonly [infer Head, ...infer Rest] ? Head & Composed<Rest> : unknown;

const text = (raw: unknown): string | null =>
  typeof raw === 'string' ? raw : typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : null;

const UNITS: Record<string, number> = { '': 1, b: 1, kb: 1024, k: 1024, mb: 1024 ** 2, m: 1024 ** 2, gb: 1024 ** 3, g: 1024 ** 3 };

/** A number with an optional unit of `units` (case-insensitive), as written; null if it is not one. */
function quantity(raw: unknown, units: Record<string, number>): { value: number; unit: number; written: string } | null {
  const t = text(raw);
  const m = t === null ? null : /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(t);
  const unit = m ? units[m[2]!.toLowerCase()] : undefined;
  return m && unit !== undefined ? { value: Number(m[1]), unit, written: m[2]! } : null;
}

const SECONDS: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

function showDuration(n: number): string {
  for (const [unit, size] of [
    ['w', 604_800],
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
  ] as const) {
    if (n >= size && n % size === 0) return `${n / size}${unit}`;
  }
  return n === 0 ? '0' : `${n}s`;
}

function showBytes(n: number): string {
  for (const [unit, size] of [
    ['GB', 1024 ** 3],
    ['MB', 1024 ** 2],
    ['KB', 1024],
  ] as const) {
    if (n >= size && n % size === 0) return `${n / size}${unit}`;
  }
  return `${n}`;
}

/** The setting constructors. Each parses text as well as file values, so one key reads the same everywhere. */
export const setting = {
  /** Text; empty or blank text is refused unless `allowEmpty`. */
  string(opts: { default: string; description: string; allowEmpty?: boolean }): Setting<string> {
    return {
      default: opts.default,
      description: opts.description,
      format: 'text',
      parse: (raw) => {
        const t = text(raw);
        if (t === null) return { error: 'must be a string' };
        if (!opts.allowEmpty && t.trim() === '') return { error: 'must not be empty' };
        return { value: t };
      },
      show: (v) => (v === '' ? '(empty)' : v),
    };
  },

  /** A whole number from `min` to `max`, inclusive. */
  int(opts: { default: number; min: number; max: number; description: string }): Setting<number> {
    const { min, max } = opts;
    return {
      default: opts.default,
      description: opts.description,
      format: `integer ${min}–${max}`,
      parse: (raw) => {
        const t = text(raw);
        const n = t !== null && /^-?\d+$/.test(t.trim()) ? Number(t) : NaN;
        if (!Number.isSafeInteger(n)) return { error: `must be an integer, not ${JSON.stringify(raw)}` };
        if (n < min || n > max) return { error: `must be between ${min} and ${max}, not ${n}` };
        return { value: n };
      },
      show: String,
    };
  },

  /** A size in bytes, written as a number with an optional unit (KB, MB, GB; powers of 1024). */
  bytes(opts: { default: number; min: number; description: string }): Setting<number> {
    const { min } = opts;
    return {
      default: opts.default,
      description: opts.description,
      format: min === 0 ? 'bytes (e.g. 512KB, 64MB, 20GB), 0 for none' : `bytes (e.g. 512KB, 64MB), at least ${showBytes(min)}`,
      parse: (raw) => {
        const q = quantity(raw, UNITS);
        if (!q) return { error: `must be a size such as 65536, 512KB or 64MB, not ${JSON.stringify(raw)}` };
        const n = Math.round(q.value * q.unit);
        if (n < min) return { error: `must be at least ${showBytes(min)}, not ${showBytes(n)}` };
        return { value: n };
      },
      show: showBytes,
    };
  },

  /** A duration in seconds, written as a number with a unit (s, m, h, d, w); 0 for none. */
  duration(opts: { default: number; description: string }): Setting<number> {
    return {
      default: opts.default,
      description: opts.description,
      format: 'duration (e.g. 90m, 12h, 30d, 2w), 0 for none',
      parse: (raw) => {
        const q = quantity(raw, SECONDS);
        if (!q || (q.written === '' && q.value !== 0)) {
          return { error: `must be a duration such as 90m, 12h or 30d (or 0 for none), not ${JSON.stringify(raw)}` };
        }
        return { value: Math.round(q.value * q.unit) };
      },
      show: showDuration,
    };
  },

  /** A listen address (see `parseAddress`); `null` disables the listener. The default is written as text. */
  address(opts: { default: string; description: string }): Setting<ListenAddress | null> {
    const def = parseAddress(opts.default);
    if (def && 'error' in def) throw new Error(`bad default address: ${def.error}`);
    return {
      default: def,
      description: opts.description,
      format: 'host:port (port 0 picks a free port), or 0/off to disable',
      parse: (raw) => {
        const t = text(raw);
        if (t === null) return { error: 'must be an address such as 127.0.0.1:2000' };
        const a = parseAddress(t);
        return a && 'error' in a ? { error: a.error } : { value: a };
      },
      show: (v) => (v === null ? 'off' : formatAddress(v)),
    };
  },

  /** Strings, from a file's list or comma-separated text; blank entries are dropped. Defaults to none. */
  list(opts: { description: string }): Setting<readonly string[]> {
    return {
      default: [],
      description: opts.description,
      format: 'comma-separated list',
      parse: (raw) => {
        if (Array.isArray(raw) && raw.every((x) => typeof x === 'string')) return { value: raw.map((x) => x.trim()).filter(Boolean) };
        const t = text(raw);
        if (t === null) return { error: `must be a comma-separated list, not ${JSON.stringify(raw)}` };
        return {
          value: t
            .split(',')
            .map((x) => x.trim())
            .filter(Boolean),
        };
      },
      show: (v) => v.join(',') || '(none)',
    };
  },

  /** true/false, also 1/0 and yes/no in text. */
  bool(opts: { default: boolean; description: string }): Setting<boolean> {
    return {
      default: opts.default,
      description: opts.description,
      format: 'true | false',
      parse: (raw) => {
        if (typeof raw === 'boolean') return { value: raw };
        const t = text(raw)?.toLowerCase();
        if (t === 'true' || t === '1' || t === 'yes') return { value: true };
        if (t === 'false' || t === '0' || t === 'no') return { value: false };
        return { error: `must be true or false, not ${JSON.stringify(raw)}` };
      },
      show: String,
    };
  },

  /** One of `values`, exactly as written; typed as their union. */
  enum<const V extends string>(opts: { values: readonly V[]; default: NoInfer<V>; description: string }): Setting<V> {
    const { values } = opts;
    const isValue = (t: string): t is V => values.some((v) => v === t);
    return {
      default: opts.default,
      description: opts.description,
      format: values.join(' | '),
      parse: (raw) => {
        const t = text(raw);
        return t !== null && isValue(t) ? { value: t } : { error: `must be one of ${values.join(', ')}, not ${JSON.stringify(raw)}` };
      },
      show: String,
    };
  },
};

function isSetting(node: Setting<unknown> | SettingsTree): node is Setting<unknown> {
  return typeof node.parse === 'function';
}

/**
 * A module's settings at the paths users see. Keys are camelCase words (they become
 * `FLUORO_UPPER_SNAKE` variables and `--kebab-case` flags); groups must not be empty. Returns the
 * tree itself, checked, so its type is what `ConfigOf` reads.
 */
export function defineSettings<const T extends SettingsTree>(tree: T): T {
  settingsOf(tree);
  return tree;
}

/**
 * Every setting of a tree with its dotted key, depth first in declaration order (the order of help
 * and docs). Throws on a key that is not a camelCase word or on an empty group.
 */
export function settingsOf(tree: SettingsTree, prefix = ''): KeyedSetting[] {
  const out: KeyedSetting[] = [];
  for (const [name, node] of Object.entries(tree)) {
    const key = `${prefix}${name}`;
    if (!/^[a-z][a-zA-Z0-9]*$/.test(name)) throw new Error(`config key "${key}": each part must be a camelCase word`);
    if (node === null || typeof node !== 'object') throw new Error(`config key "${key}" is neither a setting nor a group of settings`);
    if (isSetting(node)) {
      out.push({ ...node, key });
      continue;
    }
    const inner = settingsOf(node, `${key}.`);
    if (inner.length === 0) throw new Error(`config group "${key}" has no settings`);
    out.push(...inner);
  }
  return out;
}

/**
 * Joins trees that modules declared separately into one. Groups of the same name merge (two
 * modules may both contribute `ingest.*` keys); a key declared twice, or as both a setting and a
 * group, throws naming it. Keys keep the order of the arguments, then of each tree.
 */
export function composeSettings<const T extends readonly SettingsTree[]>(...trees: T): Composed<T> {
  const settings = new Set<string>();
  const groups = new Set<string>();
  const leaves: Array<readonly [string, Setting<unknown>]> = [];
  for (const s of trees.flatMap((t) => settingsOf(t))) {
    if (settings.has(s.key)) throw new Error(`config key "${s.key}" is declared twice`);
    if (groups.has(s.key)) throw new Error(`config key "${s.key}" is declared both as a setting and as a group`);
    const parts = s.key.split('.');
    for (let i = 1; i < parts.length; i++) {
      const group = parts.slice(0, i).join('.');
      if (settings.has(group)) throw new Error(`config key "${group}" is declared both as a setting and as a group`);
      groups.add(group);
    }
    settings.add(s.key);
    const { key, ...own } = s;
    leaves.push([key, own]);
  }
  return assemble(leaves);
}

/**
 * The configuration of a tree: each setting's value from `values` (by dotted key) or else its
 * default. `values` must hold what the settings' own `parse` returned, which is what makes the
 * result the inferred type.
 */
export function materialise<T extends SettingsTree>(tree: T, values: ReadonlyMap<string, unknown> = new Map()): ConfigOf<T> {
  return assemble(settingsOf(tree).map((s) => [s.key, values.has(s.key) ? values.get(s.key) : s.default] as const));
}

/**
 * Nested objects from values at dotted paths. The one place where untyped data becomes a typed
 * tree: its callers derive `R` from the settings that produced the leaves.
 */
function assemble<R>(leaves: Iterable<readonly [string, unknown]>): R {
  const root: Record<string, unknown> = {};
  for (const [key, value] of leaves) setPath(root, key, value);
  return root as R;
}

/** Sets `a.b.c` in nested objects, creating the groups on the way. */
export function setPath(target: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split('.');
  let node = target;
  for (const p of parts.slice(0, -1)) {
    node[p] ??= {};
    node = node[p] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]!] = value;
}

/** The value at `a.b.c` in nested objects, or undefined. */
export function getPath(source: unknown, key: string): unknown {
  let node = source;
  for (const p of key.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[p];
  }
  return node;
}
