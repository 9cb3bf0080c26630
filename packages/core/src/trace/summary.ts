import type { AnnotationValue, TraceSpan } from '../model/span.js';
import type { ServiceRef, TraceSummary } from '../model/summary.js';
import type { TraceModel } from './model.js';
import { rootCauses } from './root-causes.js';

/**
 * A trace's summary, as GetTraceSummaries returns it: trace-level facts from the root segment,
 * every node it touched (inferred ones included), users and annotations with the services that
 * recorded them, and root causes. Lists hold distinct values in first-seen order (spans by start).
 */
export function summarizeTrace(t: TraceModel<TraceSpan>, matchedTime: number): TraceSummary {
  const root = t.root;
  const services = new Distinct<ServiceRef>();
  for (const n of t.nodes) services.add(`${n.node.type}\u0000${n.node.name}`, () => n.node);
  const users = new Grouped<{ name: string }>();
  const annotations = new Grouped<{ key: string; value: AnnotationValue }>();
  const arns = new Set<string>();
  const instances = new Set<string>();
  const zones = new Set<string>();
  const spans = [...t.spans].sort((a, b) => a.startTime - b.startTime);
  for (const s of spans) {
    const service: ServiceRef | null = s.owner ? { name: s.owner.service, type: s.owner.serviceType, accountId: null } : null;
    if (s.user !== null) users.add(s.user, () => ({ name: s.user! }), service);
    for (const [key, value] of Object.entries(s.annotations)) {
      annotations.add(`${key}\u0000${typeof value}\u0000${String(value)}`, () => ({ key, value }), service);
    }
    if (s.resourceArn !== null) arns.add(s.resourceArn);
    if (s.instanceId !== null) instances.add(s.instanceId);
    if (s.availabilityZone !== null) zones.add(s.availabilityZone);
  }
  const http = root?.http ?? null;
  return {
    traceId: t.traceId,
    startTime: t.startTime,
    duration: t.duration,
    responseTime: root && root.endTime !== null ? root.endTime - root.startTime : null,
    hasFault: root?.fault ?? false,
    hasError: root?.error ?? false,
    hasThrottle: t.throttled,
    isPartial: t.partial,
    http: http ? { url: http.url, status: http.status, method: http.method, userAgent: http.userAgent, clientIp: http.clientIp } : null,
    annotations: annotations.list().sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
    users: users.list(),
    services: services.list(),
    entryPoint: root?.owner ? { name: root.owner.service, type: root.owner.serviceType, accountId: root.accountId } : null,
    resourceArns: [...arns],
    instanceIds: [...instances],
    availabilityZones: [...zones],
    revision: t.spans.length,
    matchedTime,
    rootCauses: rootCauses(t),
  };
}

class Distinct<T> {
  readonly #items = new Map<string, T>();
  add(key: string, make: () => T): void {
    if (!this.#items.has(key)) this.#items.set(key, make());
  }
  list(): T[] {
    return [...this.#items.values()];
  }
}

/** Values with the services that recorded each (name and type once per value). */
class Grouped<T extends object> {
  readonly #items = new Map<string, { value: T; services: ServiceRef[] }>();
  add(key: string, make: () => T, service: ServiceRef | null): void {
    let g = this.#items.get(key);
    if (!g) {
      g = { value: make(), services: [] };
      this.#items.set(key, g);
    }
    if (service && !g.services.some((x) => x.name === service.name && x.type === service.type)) g.services.push(service);
  }
  list(): Array<T & { services: ServiceRef[] }> {
    return [...this.#items.values()].map((g) => ({ ...g.value, services: g.services }));
  }
}
