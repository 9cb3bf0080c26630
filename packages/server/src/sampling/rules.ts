import type { DeleteSamplingRuleRequest, SamplingRule as SamplingRuleInput, SamplingRuleUpdate } from '@fluoro/contracts';
import { FluoroError, invalidRequest } from '../platform/errors/catalog.js';
import type { RecordStore } from '../storage/api/index.js';

/** A sampling rule in the X-Ray API's shape (`SamplingRule`). */
export interface SamplingRule {
  readonly RuleName: string;
  readonly RuleARN: string;
  readonly ResourceARN: string;
  readonly Priority: number;
  readonly FixedRate: number;
  readonly ReservoirSize: number;
  readonly ServiceName: string;
  readonly ServiceType: string;
  readonly Host: string;
  readonly HTTPMethod: string;
  readonly URLPath: string;
  readonly Version: number;
  readonly Attributes: Readonly<Record<string, string>>;
  readonly SamplingRateBoost?: { readonly MaxRate: number; readonly CooldownWindowMinutes: number };
}

/** `SamplingRuleRecord`: a rule with its creation and last modification times (epoch seconds). */
export interface SamplingRuleRecord {
  readonly SamplingRule: SamplingRule;
  readonly CreatedAt: number;
  readonly ModifiedAt: number;
}

export const DEFAULT_RULE = 'Default';
const RECORD_KIND = 'sampling-rule';
/** ARNs in X-Ray's form; Fluoro has no region or account of its own. */
export const RULE_ARN_PREFIX = 'arn:aws:xray:local:000000000000:sampling-rule/';

/** X-Ray's built-in rule: the first request each second, and 5% of the others (spec §5.2). */
export function defaultRule(): SamplingRuleRecord {
  return {
    SamplingRule: {
      RuleName: DEFAULT_RULE,
      RuleARN: RULE_ARN_PREFIX + DEFAULT_RULE,
      ResourceARN: '*',
      Priority: 10000,
      FixedRate: 0.05,
      ReservoirSize: 1,
      ServiceName: '*',
      ServiceType: '*',
      Host: '*',
      HTTPMethod: '*',
      URLPath: '*',
      Version: 1,
      Attributes: {},
    },
    CreatedAt: 0,
    ModifiedAt: 0,
  };
}

const UPDATABLE = [
  'ResourceARN',
  'Priority',
  'FixedRate',
  'ReservoirSize',
  'ServiceName',
  'ServiceType',
  'Host',
  'HTTPMethod',
  'URLPath',
  'Attributes',
  'SamplingRateBoost',
] as const;

/**
 * The sampling rules, kept in the store (so they survive restarts) and in memory for the hot
 * paths (SDKs poll them). Requests arrive validated against the API model (types, lengths,
 * ranges); this adds what the model cannot say: unique names, the reserved `Default` rule (only
 * its rate and reservoir may change, it cannot be deleted), version 1, and the rule limit.
 */
export class SamplingRules {
  readonly #rules = new Map<string, SamplingRuleRecord>();
  #lastModification = 0;

  private constructor(
    private readonly store: RecordStore,
    private readonly maxRules: number,
    private readonly clock: () => number,
  ) {}

  static async load(store: RecordStore, maxRules: number, clock: () => number = () => Date.now() / 1000): Promise<SamplingRules> {
    const rules = new SamplingRules(store, maxRules, clock);
    for (const { name, doc } of await store.list(RECORD_KIND)) rules.#rules.set(name, JSON.parse(doc) as SamplingRuleRecord);
    if (!rules.#rules.has(DEFAULT_RULE)) await rules.#save(defaultRule());
    rules.#lastModification = Math.max(...[...rules.#rules.values()].map((r) => r.ModifiedAt));
    return rules;
  }

  /** Every rule in the order SDKs evaluate them: by priority, then name. */
  list(): SamplingRuleRecord[] {
    return [...this.#rules.values()].sort(
      (a, b) => a.SamplingRule.Priority - b.SamplingRule.Priority || a.SamplingRule.RuleName.localeCompare(b.SamplingRule.RuleName),
    );
  }

  get(name: string): SamplingRuleRecord | undefined {
    return this.#rules.get(name);
  }

  /** The rule an ARN names (`RULE_ARN_PREFIX` + its name). */
  byArn(arn: string): SamplingRuleRecord | undefined {
    return arn.startsWith(RULE_ARN_PREFIX) ? this.#rules.get(arn.slice(RULE_ARN_PREFIX.length)) : undefined;
  }

  /** When a rule last changed (epoch seconds): SDKs fetch the rules again when it moves. */
  get lastModification(): number {
    return this.#lastModification;
  }

  async create(input: SamplingRuleInput): Promise<SamplingRuleRecord> {
    const name = input.RuleName;
    if (typeof name !== 'string') throw invalidRequest('SamplingRule.RuleName is required');
    if (name === DEFAULT_RULE) throw invalidRequest(`the rule name ${DEFAULT_RULE} is reserved for the built-in rule; update it instead`);
    if (!/^[A-Za-z0-9_-]+$/.test(name))
      throw invalidRequest(`SamplingRule.RuleName ${JSON.stringify(name)} may only hold letters, digits, - and _`);
    if (this.#rules.has(name)) throw invalidRequest(`a sampling rule named ${name} already exists`);
    const custom = this.#rules.size - (this.#rules.has(DEFAULT_RULE) ? 1 : 0);
    if (custom >= this.maxRules) {
      throw new FluoroError(
        'RuleLimitExceeded',
        `there are already ${custom} sampling rules besides ${DEFAULT_RULE}; the limit is ${this.maxRules} (sampling.maxRules)`,
      );
    }
    checkVersion(input.Version);
    const now = this.clock();
    const rule: SamplingRule = {
      RuleName: name,
      RuleARN: RULE_ARN_PREFIX + name,
      ResourceARN: input.ResourceARN,
      Priority: input.Priority,
      FixedRate: input.FixedRate,
      ReservoirSize: input.ReservoirSize,
      ServiceName: input.ServiceName,
      ServiceType: input.ServiceType,
      Host: input.Host,
      HTTPMethod: input.HTTPMethod,
      URLPath: input.URLPath,
      Version: 1,
      Attributes: input.Attributes ?? {},
      ...(input.SamplingRateBoost ? { SamplingRateBoost: input.SamplingRateBoost } : {}),
    };
    const record = { SamplingRule: rule, CreatedAt: now, ModifiedAt: now };
    await this.#save(record);
    return record;
  }

  /** A partial update by `RuleName` or `RuleARN` (`SamplingRuleUpdate`). */
  async update(input: SamplingRuleUpdate): Promise<SamplingRuleRecord> {
    const current = this.#find(input);
    const isDefault = current.SamplingRule.RuleName === DEFAULT_RULE;
    const given = UPDATABLE.filter((k) => input[k] !== undefined);
    if (isDefault) {
      const fixed = given.filter((k) => k !== 'FixedRate' && k !== 'ReservoirSize');
      if (fixed.length)
        throw invalidRequest(`only FixedRate and ReservoirSize of the ${DEFAULT_RULE} rule can change, not ${fixed.join(', ')}`);
    }
    const changes: Record<string, unknown> = {};
    for (const k of given) changes[k] = input[k];
    const record = { ...current, SamplingRule: { ...current.SamplingRule, ...changes } as SamplingRule, ModifiedAt: this.clock() };
    await this.#save(record);
    return record;
  }

  async delete(input: DeleteSamplingRuleRequest): Promise<SamplingRuleRecord> {
    const current = this.#find(input);
    if (current.SamplingRule.RuleName === DEFAULT_RULE)
      throw invalidRequest(
        `the ${DEFAULT_RULE} rule cannot be deleted; set its FixedRate and ReservoirSize to 0 to sample nothing by default`,
      );
    await this.store.delete(RECORD_KIND, current.SamplingRule.RuleName);
    this.#rules.delete(current.SamplingRule.RuleName);
    this.#lastModification = this.clock();
    return current;
  }

  /** The rule named by `RuleName` or `RuleARN` (exactly one of them). */
  #find(input: DeleteSamplingRuleRequest | SamplingRuleUpdate): SamplingRuleRecord {
    const name = input.RuleName;
    const arn = input.RuleARN;
    if (name !== undefined && arn !== undefined) throw invalidRequest('give RuleName or RuleARN, not both');
    if (name === undefined && arn === undefined) throw invalidRequest('give RuleName or RuleARN to say which rule');
    const rule = typeof arn === 'string' ? this.byArn(arn) : this.#rules.get(name as string);
    if (!rule) throw invalidRequest(`no sampling rule ${typeof arn === 'string' ? `with ARN ${arn}` : `named ${String(name)}`}`);
    return rule;
  }

  async #save(record: SamplingRuleRecord): Promise<void> {
    await this.store.put(RECORD_KIND, record.SamplingRule.RuleName, JSON.stringify(record));
    this.#rules.set(record.SamplingRule.RuleName, record);
    this.#lastModification = Math.max(this.#lastModification, record.ModifiedAt);
  }
}

function checkVersion(v: unknown): void {
  if (v !== 1) throw invalidRequest(`SamplingRule.Version must be 1 (the only version X-Ray SDKs apply), not ${String(v)}`);
}
