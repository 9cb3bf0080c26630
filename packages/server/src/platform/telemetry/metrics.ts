/**
 * A small Prometheus registry: counters and histograms with labels, gauges read at scrape time.
 * Enough for Fluoro's own health; exposed as text format 0.0.4 on `/metrics`.
 */

type Labels = Record<string, string>;

interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  render(): Promise<string[]> | string[];
}

export interface Counter {
  inc(labels?: Labels, by?: number): void;
  get(labels?: Labels): number;
}

export interface Histogram {
  observe(value: number, labels?: Labels): void;
}

function labelText(labels: Labels | undefined): string {
  if (!labels) return '';
  const parts = Object.keys(labels)
    .sort()
    .map((k) => `${k}="${labels[k]!.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

export class Metrics {
  readonly #families = new Map<string, Family>();

  counter(name: string, help: string): Counter {
    const values = new Map<string, number>();
    this.#add({
      name,
      help,
      type: 'counter',
      render: () => (values.size === 0 ? [`${name} 0`] : [...values].map(([l, v]) => `${name}${l} ${v}`)),
    });
    return {
      inc(labels, by = 1) {
        const key = labelText(labels);
        values.set(key, (values.get(key) ?? 0) + by);
      },
      get(labels) {
        return values.get(labelText(labels)) ?? 0;
      },
    };
  }

  /** A gauge whose value is read when scraped. */
  gauge(name: string, help: string, read: () => number | Promise<number>): void {
    this.#add({ name, help, type: 'gauge', render: async () => [`${name} ${await read()}`] });
  }

  /** A counter kept by someone else (the kernel), read when scraped; no value while it cannot be read. */
  counterFrom(name: string, help: string, read: () => number | null): void {
    this.#add({
      name,
      help,
      type: 'counter',
      render: () => {
        const v = read();
        return v === null ? [] : [`${name} ${v}`];
      },
    });
  }

  histogram(name: string, help: string, buckets: readonly number[]): Histogram {
    const series = new Map<string, { counts: number[]; sum: number; count: number }>();
    this.#add({
      name,
      help,
      type: 'histogram',
      render: () => {
        const lines: string[] = [];
        for (const [key, s] of series) {
          const base = key ? key.slice(1, -1) + ',' : '';
          let cumulative = 0;
          buckets.forEach((b, i) => {
            cumulative += s.counts[i]!;
            lines.push(`${name}_bucket{${base}le="${b}"} ${cumulative}`);
          });
          lines.push(`${name}_bucket{${base}le="+Inf"} ${s.count}`);
          lines.push(`${name}_sum${key} ${s.sum}`);
          lines.push(`${name}_count${key} ${s.count}`);
        }
        return lines;
      },
    });
    return {
      observe(value, labels) {
        const key = labelText(labels);
        let s = series.get(key);
        if (!s) {
          s = { counts: buckets.map(() => 0), sum: 0, count: 0 };
          series.set(key, s);
        }
        const i = buckets.findIndex((b) => value <= b);
        if (i >= 0) s.counts[i]!++;
        s.sum += value;
        s.count++;
      },
    };
  }

  async render(): Promise<string> {
    const out: string[] = [];
    for (const f of this.#families.values()) {
      // One value that cannot be read (a store gone bad) leaves out its family, not the scrape.
      let samples: string[];
      try {
        samples = await f.render();
      } catch (err) {
        samples = [`# ${f.name} could not be read: ${String((err as Error)?.message ?? err).replace(/\n/g, ' ')}`];
      }
      out.push(`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.type}`, ...samples);
    }
    return `${out.join('\n')}\n`;
  }

  #add(family: Family): void {
    if (this.#families.has(family.name)) throw new Error(`metric ${family.name} registered twice`);
    this.#families.set(family.name, family);
  }
}

/**
 * One value per metrics registry, i.e. per process (tests run several in one): the first call for a
 * registry makes it, later calls get the same one.
 */
export function onePerRegistry<T>(): (metrics: Metrics, make: () => T) => T {
  const made = new WeakMap<Metrics, T>();
  return (metrics, make) => {
    let value = made.get(metrics);
    if (value === undefined) made.set(metrics, (value = make()));
    return value;
  };
}

const restarts = onePerRegistry<Counter>();

/** The one counter of worker threads that died and were started again, by thread. */
export const workerRestarts = (metrics: Metrics): Counter =>
  restarts(metrics, () =>
    metrics.counter('fluoro_worker_restarts_total', 'Worker threads that stopped unexpectedly and were started again, by thread.'),
  );
