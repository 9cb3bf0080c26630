import { describe, expect, it } from 'vitest';
import type { Logger } from '../platform/telemetry/logger.js';
import { CompositionError, startModules, startOrder, type Module, type Stops, type StopPhase } from './lifecycle.js';

interface FakeOptions {
  readonly needs?: string[];
  readonly collects?: string[];
  readonly provides?: string[];
  readonly contributes?: string[];
  /** Phases it takes part in when stopping (default: all). */
  readonly phases?: StopPhase[];
  readonly failStart?: boolean;
  readonly failStop?: StopPhase;
  /** Leaves out what it declares it provides. */
  readonly breaksContract?: boolean;
}

/** A module that records what happens to it in `events` and provides `<name>.<key>` values. */
function fake(name: string, events: string[], o: FakeOptions = {}): Module<void> {
  return {
    name,
    needs: o.needs ?? [],
    collects: o.collects ?? [],
    provides: o.provides ?? [],
    contributes: o.contributes ?? [],
    async start(given) {
      events.push(`start ${name}${Object.keys(given).length ? ` ${JSON.stringify(given)}` : ''}`);
      if (o.failStart) throw new Error(`${name} cannot start`);
      const stop: Record<string, () => Promise<void>> = {};
      for (const phase of o.phases ?? ['input', 'drain', 'flush', 'close']) {
        stop[phase] = async () => {
          events.push(`${phase} ${name}`);
          if (o.failStop === phase) throw new Error(`${name} cannot ${phase}`);
        };
      }
      const values = (keys: string[]): Record<string, string> => Object.fromEntries(keys.map((k) => [k, `${name}.${k}`]));
      return {
        provides: o.breaksContract ? {} : values(o.provides ?? []),
        contributes: values(o.contributes ?? []),
        stop: stop as Stops,
      };
    },
  };
}

function recordingLogger(lines: string[]): Logger {
  const record = (message: string, fields?: Record<string, unknown>): void => {
    lines.push(`${message} ${JSON.stringify(fields ?? {})}`);
  };
  return { debug: record, info: record, warn: record, error: record };
}

const quiet = recordingLogger([]);

describe('startOrder', () => {
  it('puts each module after what it needs, and keeps the given order otherwise', () => {
    const e: string[] = [];
    const order = startOrder([
      fake('receiver', e, { needs: ['pipeline'] }),
      fake('other', e),
      fake('pipeline', e, { needs: ['store'], provides: ['pipeline'] }),
      fake('store', e, { provides: ['store'] }),
      fake('last', e),
    ]);
    expect(order.map((m) => m.name)).toEqual(['other', 'store', 'pipeline', 'receiver', 'last']);
  });

  it('puts a collector after every contributor', () => {
    const e: string[] = [];
    const order = startOrder([
      fake('listener', e, { collects: ['routes'] }),
      fake('api', e, { contributes: ['routes'] }),
      fake('health', e, { contributes: ['routes'] }),
    ]);
    expect(order.map((m) => m.name)).toEqual(['api', 'health', 'listener']);
  });

  it.each([
    ['a need nobody provides', [fake('a', [], { needs: ['store'] })], 'module "a" needs "store", which no module provides'],
    [
      'a service provided twice',
      [fake('a', [], { provides: ['store'] }), fake('b', [], { provides: ['store'] })],
      '"store" is provided by both "a" and "b"',
    ],
    ['a name listed twice', [fake('a', []), fake('a', [])], 'module "a" is listed twice'],
    [
      'modules that need each other',
      [fake('a', [], { needs: ['y'], provides: ['x'] }), fake('b', [], { needs: ['x'], provides: ['y'] }), fake('c', [])],
      'modules wait for each other: a, b',
    ],
  ])('refuses %s', (_what, modules, message) => {
    expect(() => startOrder(modules)).toThrow(new CompositionError(message));
  });
});

describe('startModules', () => {
  it('hands each module what it needs and collects, and keeps what they provide', async () => {
    const events: string[] = [];
    const running = await startModules(
      [
        fake('store', events, { provides: ['store'] }),
        fake('api', events, { needs: ['store'], contributes: ['routes'] }),
        fake('health', events, { contributes: ['routes'] }),
        fake('listener', events, { collects: ['routes'] }),
        fake('lonely', events, { collects: ['nothing'] }),
      ],
      undefined,
      quiet,
    );
    expect(events).toEqual([
      'start store',
      'start api {"store":"store.store"}',
      'start health',
      'start listener {"routes":["api.routes","health.routes"]}',
      'start lonely {"nothing":[]}',
    ]);
    expect(running.order).toEqual(['store', 'api', 'health', 'listener', 'lonely']);
    expect(running.services.get('store')).toBe('store.store');
    await running.stop();
  });

  it('stops phase by phase: all input, then drain, flush and close, each in reverse start order', async () => {
    const events: string[] = [];
    const running = await startModules(
      [
        fake('store', events, { provides: ['store'], phases: ['close'] }),
        fake('pipeline', events, { needs: ['store'], provides: ['pipeline'], phases: ['drain'] }),
        fake('analyzer', events, { needs: ['pipeline'], phases: ['flush', 'close'] }),
        fake('udp', events, { needs: ['pipeline'], phases: ['input'] }),
        fake('http', events, { needs: ['pipeline'], phases: ['input'] }),
      ],
      undefined,
      quiet,
    );
    events.length = 0;
    await running.stop();
    expect(events).toEqual(['input http', 'input udp', 'drain pipeline', 'flush analyzer', 'close analyzer', 'close store']);
  });

  it('stops what started, in the same sequence, when a module fails to start, and starts nothing after it', async () => {
    const events: string[] = [];
    const start = startModules(
      [
        fake('store', events, { provides: ['store'] }),
        fake('pipeline', events, { needs: ['store'], provides: ['pipeline'] }),
        fake('udp', events, { needs: ['pipeline'], failStart: true }),
        fake('http', events, { needs: ['pipeline'] }),
      ],
      undefined,
      quiet,
    );
    await expect(start).rejects.toThrow('udp cannot start');
    expect(events).toEqual([
      'start store',
      'start pipeline {"store":"store.store"}',
      'start udp {"pipeline":"pipeline.pipeline"}',
      'input pipeline',
      'input store',
      'drain pipeline',
      'drain store',
      'flush pipeline',
      'flush store',
      'close pipeline',
      'close store',
    ]);
  });

  it('counts a module that does not provide what it declared as failed, and stops it too', async () => {
    const events: string[] = [];
    const start = startModules(
      [fake('store', events, { provides: ['store'], breaksContract: true, phases: ['close'] }), fake('api', events, { needs: ['store'] })],
      undefined,
      quiet,
    );
    await expect(start).rejects.toThrow('module "store" did not provide "store"');
    expect(events).toEqual(['start store', 'close store']);
  });

  it('checks the composition before starting anything', async () => {
    const events: string[] = [];
    await expect(startModules([fake('store', events), fake('api', events, { needs: ['store'] })], undefined, quiet)).rejects.toThrow(
      CompositionError,
    );
    expect(events).toEqual([]);
  });

  it('stops once, however often stop is called', async () => {
    const events: string[] = [];
    const running = await startModules([fake('store', events, { phases: ['close'] })], undefined, quiet);
    const first = running.stop();
    const second = running.stop();
    expect(second).toBe(first);
    await first;
    await running.stop();
    expect(events).toEqual(['start store', 'close store']);
  });

  it('runs every stop hook when one fails, logs each failure, and rejects with the first once all ran', async () => {
    const events: string[] = [];
    const logged: string[] = [];
    const running = await startModules(
      [
        fake('store', events, { phases: ['close'] }),
        fake('pipeline', events, { phases: ['drain', 'close'], failStop: 'drain' }),
        fake('udp', events, { phases: ['input'], failStop: 'input' }),
        fake('http', events, { phases: ['input'] }),
      ],
      undefined,
      recordingLogger(logged),
    );
    events.length = 0;
    await expect(running.stop()).rejects.toThrow('udp cannot input');
    expect(events).toEqual(['input http', 'input udp', 'drain pipeline', 'close pipeline', 'close store']);
    expect(logged).toEqual([
      'a module failed to stop {"module":"udp","phase":"input","error":"udp cannot input"}',
      'a module failed to stop {"module":"pipeline","phase":"drain","error":"pipeline cannot drain"}',
    ]);
  });

  it('throws the start error, not a stop error, when cleaning up after a failed start fails too', async () => {
    const events: string[] = [];
    const logged: string[] = [];
    const start = startModules(
      [fake('store', events, { phases: ['close'], failStop: 'close' }), fake('udp', events, { failStart: true })],
      undefined,
      recordingLogger(logged),
    );
    await expect(start).rejects.toThrow('udp cannot start');
    expect(events).toEqual(['start store', 'start udp', 'close store']);
    expect(logged).toEqual(['a module failed to stop {"module":"store","phase":"close","error":"store cannot close"}']);
  });
});
