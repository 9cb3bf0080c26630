import type { Logger } from '../platform/telemetry/logger.js';

/**
 * How the application stops: every module's `input` first, then every `drain`, every `flush` and
 * every `close`; within a phase, modules in the reverse of their start order. Phases, and not the
 * reverse start order alone, because what must happen first does not follow the dependencies: the
 * root-cause analyzer needs the pipeline, yet its flush must come after the pipeline's drain.
 */
export const STOP_PHASES = ['input', 'drain', 'flush', 'close'] as const;
export type StopPhase = (typeof STOP_PHASES)[number];

/**
 * What a started module does in each stop phase it takes part in:
 * - `input`: take no new input (receivers and listeners close, waiting for requests in flight);
 * - `drain`: write everything accepted (queues empty into the store);
 * - `flush`: finish derived work and write its results;
 * - `close`: end threads, release files and connections (the store last of all, as it started first).
 */
export type Stops = { readonly [P in StopPhase]?: () => Promise<void> };

/**
 * A module as the lifecycle sees it: names and untyped values (module.ts gives Fluoro's modules
 * their types). A module `needs` services, each provided by exactly one module of the same
 * composition, and `collects` contributions, offered by any number of modules (none included),
 * in composition order. It starts after every module it needs or collects from.
 *
 * Contract of `start`: it resolves once the module is working, with every service it declares in
 * `provides` and every contribution it declares in `contributes`, and with the hooks that stop it.
 * A `start` that rejects leaves nothing of its own running (it cleans up before rejecting).
 */
export interface Module<C> {
  readonly name: string;
  readonly needs: readonly string[];
  readonly collects: readonly string[];
  readonly provides: readonly string[];
  readonly contributes: readonly string[];
  start(given: Readonly<Record<string, unknown>>, context: C): Promise<StartedModule>;
}

export interface StartedModule {
  readonly provides?: Readonly<Record<string, unknown>>;
  readonly contributes?: Readonly<Record<string, unknown>>;
  readonly stop?: Stops;
}

export interface RunningModules {
  /** Services the modules provided, by name. */
  readonly services: ReadonlyMap<string, unknown>;
  /** Module names in the order they started. */
  readonly order: readonly string[];
  /**
   * Runs the stop phases over every module, once: later calls return the same promise. Every
   * hook runs even when an earlier one failed (a store must be closed even if a queue could not
   * drain); failures are logged, and the promise rejects with the first once all hooks have run.
   */
  stop(): Promise<void>;
}

/** A composition that cannot start as declared: a need nobody provides, a cycle, a name twice. */
export class CompositionError extends Error {}

/**
 * The order modules start in: each after the modules it needs and collects from, otherwise in the
 * order given (so a composition puts its receivers last, and they start once everything behind
 * them is running). Checks the composition first and throws `CompositionError` when it is wrong.
 */
export function startOrder<C>(modules: readonly Module<C>[]): Module<C>[] {
  const names = new Set<string>();
  const provider = new Map<string, Module<C>>();
  const contributors = new Map<string, Module<C>[]>();
  for (const m of modules) {
    if (names.has(m.name)) throw new CompositionError(`module "${m.name}" is listed twice`);
    names.add(m.name);
    for (const s of m.provides) {
      const other = provider.get(s);
      if (other) throw new CompositionError(`"${s}" is provided by both "${other.name}" and "${m.name}"`);
      provider.set(s, m);
    }
    for (const c of m.contributes) contributors.set(c, [...(contributors.get(c) ?? []), m]);
  }
  const after = new Map<Module<C>, Set<Module<C>>>();
  for (const m of modules) {
    const deps = new Set<Module<C>>();
    for (const s of m.needs) {
      const p = provider.get(s);
      if (!p) throw new CompositionError(`module "${m.name}" needs "${s}", which no module provides`);
      deps.add(p);
    }
    for (const c of m.collects) for (const p of contributors.get(c) ?? []) deps.add(p);
    deps.delete(m);
    after.set(m, deps);
  }
  const order: Module<C>[] = [];
  const placed = new Set<Module<C>>();
  while (order.length < modules.length) {
    const next = modules.find((m) => !placed.has(m) && [...after.get(m)!].every((d) => placed.has(d)));
    if (!next) {
      const stuck = modules.filter((m) => !placed.has(m)).map((m) => m.name);
      throw new CompositionError(`modules wait for each other: ${stuck.join(', ')}`);
    }
    order.push(next);
    placed.add(next);
  }
  return order;
}

/**
 * Starts the modules in `startOrder`, handing each what it needs. When one fails to start, the
 * modules already started are stopped as by `stop` (one shutdown sequence for both), and the
 * start error is thrown.
 */
export async function startModules<C>(modules: readonly Module<C>[], context: C, log: Logger): Promise<RunningModules> {
  const order = startOrder(modules);
  const services = new Map<string, unknown>();
  const contributions = new Map<string, unknown[]>();
  const started: Array<{ name: string; stop: Stops }> = [];
  for (const m of order) {
    try {
      const given: Record<string, unknown> = {};
      for (const s of m.needs) given[s] = services.get(s);
      for (const c of m.collects) given[c] = contributions.get(c) ?? [];
      const result = await m.start(given, context);
      started.push({ name: m.name, stop: result.stop ?? {} });
      for (const s of m.provides) {
        if (!result.provides || !(s in result.provides)) throw new Error(`module "${m.name}" did not provide "${s}"`);
        services.set(s, result.provides[s]);
      }
      for (const c of m.contributes) {
        if (!result.contributes || !(c in result.contributes)) throw new Error(`module "${m.name}" did not contribute "${c}"`);
        contributions.set(c, [...(contributions.get(c) ?? []), result.contributes[c]]);
      }
    } catch (err) {
      await shutdown(started, log).catch(() => undefined);
      throw err;
    }
  }
  let stopping: Promise<void> | null = null;
  return {
    services,
    order: order.map((m) => m.name),
    stop: () => (stopping ??= shutdown(started, log)),
  };
}

async function shutdown(started: ReadonlyArray<{ name: string; stop: Stops }>, log: Logger): Promise<void> {
  const failures: unknown[] = [];
  for (const phase of STOP_PHASES) {
    for (let i = started.length - 1; i >= 0; i--) {
      const { name, stop } = started[i]!;
      const hook = stop[phase];
      if (!hook) continue;
      try {
        await hook();
      } catch (err) {
        log.error('a module failed to stop', { module: name, phase, error: (err as Error)?.message ?? String(err) });
        failures.push(err);
      }
    }
  }
  if (failures.length > 0) throw failures[0];
}
