import type { SamplingRule, SamplingRuleRecord } from './rules.js';

/**
 * The X-Ray SDKs' local sampling rules file (spec §5.3), version 2 (and version 1, which names the
 * service instead of the host), converted to and from centralized rules for
 * `fluoro sampling import` / `export`.
 */
export interface LocalRulesFile {
  readonly version: 1 | 2;
  readonly rules?: ReadonlyArray<Record<string, unknown>>;
  readonly default: { readonly fixed_target: number; readonly rate: number };
}

/** What an import creates or updates: rules by name, and the Default rule's rate and reservoir. */
export interface ImportPlan {
  readonly rules: Array<Omit<SamplingRule, 'RuleARN'>>;
  readonly default: { readonly FixedRate: number; readonly ReservoirSize: number };
}

const V2_KEYS = ['description', 'host', 'http_method', 'url_path', 'fixed_target', 'rate'];
const V1_KEYS = ['description', 'service_name', 'http_method', 'url_path', 'fixed_target', 'rate'];

/** Reads a local rules file; throws an Error naming the first thing wrong. */
export function parseLocalRules(text: string): LocalRulesFile {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new Error(`the rules file is not valid JSON: ${(err as Error).message}`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new Error('the rules file must be a JSON object');
  const o = doc as Record<string, unknown>;
  const version = o['version'];
  if (version !== 1 && version !== 2) throw new Error(`"version" must be 1 or 2, not ${JSON.stringify(version)}`);
  for (const k of Object.keys(o))
    if (!['version', 'rules', 'default'].includes(k)) throw new Error(`unknown key "${k}" (a rules file has version, rules and default)`);
  const def = o['default'];
  if (def === null || typeof def !== 'object' || Array.isArray(def))
    throw new Error('"default" is required: {"fixed_target": N, "rate": R}');
  const d = def as Record<string, unknown>;
  for (const k of Object.keys(d))
    if (k !== 'fixed_target' && k !== 'rate') throw new Error(`unknown key "default.${k}" (default has exactly fixed_target and rate)`);
  checkTargetAndRate(d, 'default');
  const rules = o['rules'] ?? [];
  if (!Array.isArray(rules)) throw new Error('"rules" must be a list');
  const keys = version === 2 ? V2_KEYS : V1_KEYS;
  rules.forEach((r: unknown, i) => {
    const where = `rules[${i}]`;
    if (r === null || typeof r !== 'object' || Array.isArray(r)) throw new Error(`${where} must be an object`);
    const rule = r as Record<string, unknown>;
    for (const k of Object.keys(rule))
      if (!keys.includes(k)) throw new Error(`unknown key "${where}.${k}" in a version ${version} file (keys: ${keys.join(', ')})`);
    for (const k of keys.filter((x) => x !== 'description' && x !== 'fixed_target' && x !== 'rate')) {
      if (typeof rule[k] !== 'string') throw new Error(`${where}.${k} is required and must be a string`);
    }
    checkTargetAndRate(rule, where);
  });
  return {
    version,
    rules: rules as Array<Record<string, unknown>>,
    default: { fixed_target: d['fixed_target'] as number, rate: d['rate'] as number },
  };
}

function checkTargetAndRate(o: Record<string, unknown>, where: string): void {
  const target = o['fixed_target'];
  const rate = o['rate'];
  if (typeof target !== 'number' || !Number.isInteger(target) || target < 0)
    throw new Error(`${where}.fixed_target must be a whole number of requests per second, 0 or more`);
  if (typeof rate !== 'number' || rate < 0 || rate > 1) throw new Error(`${where}.rate must be a number from 0 to 1`);
}

/**
 * Centralized rules for a local file: one per rule, in the file's order (priorities 100, 110, …),
 * named after its description (cut to X-Ray's 32 characters) or `local-<n>`. Note the meaning of
 * `fixed_target` changes: locally each process samples that many per second; centrally it is the
 * reservoir shared by all of them.
 */
export function importPlan(file: LocalRulesFile): ImportPlan {
  const used = new Set<string>();
  const rules = (file.rules ?? []).map((r, i) => {
    let name = String(r['description'] ?? '')
      .replace(/[^A-Za-z0-9_-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 32);
    if (!name || name === 'Default' || used.has(name)) name = `local-${i + 1}`;
    used.add(name);
    return {
      RuleName: name,
      ResourceARN: '*',
      Priority: 100 + i * 10,
      FixedRate: r['rate'] as number,
      ReservoirSize: r['fixed_target'] as number,
      ServiceName: file.version === 1 ? (r['service_name'] as string) : '*',
      ServiceType: '*',
      Host: file.version === 2 ? (r['host'] as string) : '*',
      HTTPMethod: r['http_method'] as string,
      URLPath: r['url_path'] as string,
      Version: 1,
      Attributes: {},
    };
  });
  return { rules, default: { FixedRate: file.default.rate, ReservoirSize: file.default.fixed_target } };
}

/**
 * A version 2 file from centralized rules, in priority order. Rules that need what version 2
 * cannot say (a service name or type, a resource ARN, attributes) are left out and listed.
 */
export function exportRules(records: readonly SamplingRuleRecord[]): {
  file: LocalRulesFile;
  skipped: Array<{ name: string; why: string }>;
} {
  const skipped: Array<{ name: string; why: string }> = [];
  const rules: Array<Record<string, unknown>> = [];
  let def = { fixed_target: 1, rate: 0.05 };
  for (const { SamplingRule: r } of [...records].sort((a, b) => a.SamplingRule.Priority - b.SamplingRule.Priority)) {
    if (r.RuleName === 'Default') {
      def = { fixed_target: r.ReservoirSize, rate: r.FixedRate };
      continue;
    }
    const why = [
      r.ServiceName !== '*' ? `ServiceName ${r.ServiceName}` : '',
      r.ServiceType !== '*' ? `ServiceType ${r.ServiceType}` : '',
      r.ResourceARN !== '*' ? `ResourceARN ${r.ResourceARN}` : '',
      Object.keys(r.Attributes ?? {}).length ? 'Attributes' : '',
    ].filter(Boolean);
    if (why.length) {
      skipped.push({ name: r.RuleName, why: `a version 2 rules file cannot match on ${why.join(', ')}` });
      continue;
    }
    rules.push({
      description: r.RuleName,
      host: r.Host,
      http_method: r.HTTPMethod,
      url_path: r.URLPath,
      fixed_target: r.ReservoirSize,
      rate: r.FixedRate,
    });
  }
  return { file: { version: 2, rules, default: def }, skipped };
}
