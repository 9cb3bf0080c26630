import type { SamplingRule, SamplingRuleUpdate } from '../api/xray-types';

/**
 * The sampling-rule form as the user typed it (strings, the fixed rate in percent), and the way
 * to and from the X-Ray API's `SamplingRule` (fixed rate 0–1). Fluoro validates what is sent and
 * its message is what the user sees; the hints here only say early what it will say.
 */

export const DEFAULT_RULE = 'Default';
export const MAX_ATTRIBUTES = 5;

export type TextField = 'RuleName' | 'ServiceName' | 'ServiceType' | 'Host' | 'HTTPMethod' | 'URLPath' | 'ResourceARN';
export type NumberField = 'Priority' | 'FixedRate' | 'ReservoirSize';
export type FieldKey = TextField | NumberField | 'Attributes';

export interface RuleForm {
  RuleName: string;
  Priority: string;
  /** Percent, 0–100. */
  FixedRate: string;
  ReservoirSize: string;
  ServiceName: string;
  ServiceType: string;
  Host: string;
  HTTPMethod: string;
  URLPath: string;
  ResourceARN: string;
  Attributes: Array<{ key: string; value: string }>;
}

/** The matchers, in the order the form and the list show them, with the API model's lengths. */
export const MATCHERS: ReadonlyArray<{ key: TextField; label: string; max: number; help: string }> = [
  { key: 'ServiceName', label: 'Service name', max: 64, help: 'The name the SDK reports, e.g. cart or cart-*' },
  { key: 'ServiceType', label: 'Service type', max: 64, help: 'e.g. AWS::EC2::Instance, AWS::ECS::Container' },
  { key: 'Host', label: 'Host', max: 64, help: 'The request’s Host header' },
  { key: 'HTTPMethod', label: 'HTTP method', max: 10, help: 'GET, POST, … or *' },
  { key: 'URLPath', label: 'URL path', max: 128, help: 'e.g. /api/checkout*' },
  { key: 'ResourceARN', label: 'Resource ARN', max: 500, help: 'Usually *: X-Ray SDKs skip rules with any other value' },
];

/** `0.05` → `"5"`, without float noise (`0.07 * 100` is 7.000000000000001). */
export function percent(rate: number): string {
  return String(+(rate * 100).toPrecision(12));
}

export function formFromRule(rule: SamplingRule): RuleForm {
  return {
    RuleName: rule.RuleName,
    Priority: String(rule.Priority),
    FixedRate: percent(rule.FixedRate),
    ReservoirSize: String(rule.ReservoirSize),
    ServiceName: rule.ServiceName,
    ServiceType: rule.ServiceType,
    Host: rule.Host,
    HTTPMethod: rule.HTTPMethod,
    URLPath: rule.URLPath,
    ResourceARN: rule.ResourceARN,
    Attributes: Object.entries(rule.Attributes ?? {}).map(([key, value]) => ({ key, value })),
  };
}

/** A new rule that matches everything until narrowed: reservoir 1 per second, then 5 %. */
export function newForm(priority: number): RuleForm {
  return {
    RuleName: '',
    Priority: String(priority),
    FixedRate: '5',
    ReservoirSize: '1',
    ServiceName: '*',
    ServiceType: '*',
    Host: '*',
    HTTPMethod: '*',
    URLPath: '*',
    ResourceARN: '*',
    Attributes: [],
  };
}

/** Below the lowest-ranked custom rule (10 more than the highest priority number in use). */
export function suggestPriority(rules: readonly SamplingRule[]): number {
  const used = rules.filter((r) => r.RuleName !== DEFAULT_RULE).map((r) => r.Priority);
  return used.length ? Math.min(9999, Math.max(...used) + 10) : 1000;
}

/** A number as typed, or undefined when the box is empty (the member is then left out). */
function num(s: string): number | undefined {
  const t = s.trim();
  if (!t) return undefined;
  const n = Number(t);
  return Number.isNaN(n) ? undefined : n;
}

function rateOf(form: RuleForm): number | undefined {
  const p = num(form.FixedRate);
  return p === undefined ? undefined : p / 100;
}

function attributesOf(form: RuleForm): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of form.Attributes) if (a.key || a.value) out[a.key] = a.value;
  return out;
}

/** `CreateSamplingRule`'s `SamplingRule`: exactly what was typed (empty numbers left out, so Fluoro names them). */
export function ruleFromForm(form: RuleForm): Omit<SamplingRule, 'RuleARN'> {
  const rule: Record<string, unknown> = { RuleName: form.RuleName.trim(), Version: 1 };
  for (const m of MATCHERS) rule[m.key] = form[m.key];
  const n = { Priority: num(form.Priority), FixedRate: rateOf(form), ReservoirSize: num(form.ReservoirSize) };
  for (const [k, v] of Object.entries(n)) if (v !== undefined) rule[k] = v;
  const attributes = attributesOf(form);
  if (Object.keys(attributes).length) rule['Attributes'] = attributes;
  return rule as unknown as Omit<SamplingRule, 'RuleARN'>;
}

/**
 * `UpdateSamplingRule`'s `SamplingRuleUpdate`: the name and only the members that changed
 * (the Default rule: only FixedRate and ReservoirSize). Attributes are sent whole when any changed.
 */
export function updateFromForm(original: SamplingRule, form: RuleForm): SamplingRuleUpdate {
  const update: Record<string, unknown> = { RuleName: original.RuleName };
  const isDefault = original.RuleName === DEFAULT_RULE;
  const rate = rateOf(form);
  if (rate !== undefined && rate !== original.FixedRate) update['FixedRate'] = rate;
  const reservoir = num(form.ReservoirSize);
  if (reservoir !== undefined && reservoir !== original.ReservoirSize) update['ReservoirSize'] = reservoir;
  if (!isDefault) {
    const priority = num(form.Priority);
    if (priority !== undefined && priority !== original.Priority) update['Priority'] = priority;
    for (const m of MATCHERS) if (form[m.key] !== original[m.key]) update[m.key] = form[m.key];
    const attributes = attributesOf(form);
    if (JSON.stringify(Object.entries(attributes).sort()) !== JSON.stringify(Object.entries(original.Attributes ?? {}).sort()))
      update['Attributes'] = attributes;
  }
  return update as SamplingRuleUpdate;
}

/** True when an update carries nothing but the rule's name. */
export const isEmptyUpdate = (u: SamplingRuleUpdate) => Object.keys(u).length === 1;

/**
 * What Fluoro will refuse, said early, per field (docs/sampling.md). `editable` leaves out the
 * fields the form does not offer (the name of an existing rule, all but two of Default's).
 */
export function hints(form: RuleForm, editable: ReadonlySet<FieldKey>): Partial<Record<FieldKey, string>> {
  const out: Partial<Record<FieldKey, string>> = {};
  const want = (k: FieldKey, problem: string | null) => {
    if (problem && editable.has(k)) out[k] = problem;
  };
  const name = form.RuleName.trim();
  want(
    'RuleName',
    !name
      ? 'Give the rule a name.'
      : name.length > 32
        ? 'At most 32 characters.'
        : !/^[A-Za-z0-9_-]+$/.test(name)
          ? 'Letters, digits, - and _ only.'
          : name === DEFAULT_RULE
            ? 'Default is the built-in rule’s name.'
            : null,
  );
  const integer = (s: string, min: number, max: number | null, what: string) => {
    const n = num(s);
    if (n === undefined) return s.trim() ? `${what} must be a number.` : `Enter ${what.toLowerCase()}.`;
    if (!Number.isInteger(n)) return `${what} must be a whole number.`;
    if (n < min || (max !== null && n > max)) return max === null ? `${what} must be ${min} or more.` : `${what} must be ${min}–${max}.`;
    return null;
  };
  want('Priority', integer(form.Priority, 1, 9999, 'Priority'));
  want('ReservoirSize', integer(form.ReservoirSize, 0, null, 'The reservoir'));
  const rate = num(form.FixedRate);
  want(
    'FixedRate',
    rate === undefined
      ? form.FixedRate.trim()
        ? 'The fixed rate must be a number.'
        : 'Enter the fixed rate.'
      : rate < 0 || rate > 100
        ? 'The fixed rate must be 0–100 %.'
        : null,
  );
  for (const m of MATCHERS)
    want(m.key, form[m.key].length > m.max ? `At most ${m.max} characters.` : !form[m.key] ? 'Use * to match anything.' : null);
  const keys = form.Attributes.filter((a) => a.key || a.value).map((a) => a.key);
  want(
    'Attributes',
    keys.length > MAX_ATTRIBUTES
      ? `At most ${MAX_ATTRIBUTES} attributes.`
      : keys.some((k) => !k)
        ? 'Every attribute needs a key.'
        : new Set(keys).size < keys.length
          ? 'Each key once.'
          : form.Attributes.some((a) => a.key.length > 32 || a.value.length > 32)
            ? 'Keys and values of at most 32 characters.'
            : null,
  );
  return out;
}

/**
 * Number boxes an update cannot carry: empty, or not a number. Sending the rest would leave
 * those fields silently unchanged, so the form holds the update back and says why. Ranges are
 * Fluoro's to check: it refuses them with a message that names the field.
 */
export function unsendable(form: RuleForm, h: Partial<Record<FieldKey, string>>): NumberField[] {
  return (['Priority', 'FixedRate', 'ReservoirSize'] as const).filter((k) => h[k] !== undefined && num(form[k]) === undefined);
}

/**
 * The fields a Fluoro message names, to mark them: model paths (`'samplingRule.fixedRate'`,
 * `'samplingRuleUpdate.uRLPath'`) and Fluoro's own (`SamplingRule.RuleName`).
 */
export function fieldsNamedIn(message: string): FieldKey[] {
  const all: FieldKey[] = ['RuleName', 'Priority', 'FixedRate', 'ReservoirSize', 'Attributes', ...MATCHERS.map((m) => m.key)];
  const found = new Set<FieldKey>();
  for (const m of message.matchAll(/samplingRule(?:Update)?\.([A-Za-z]+)/gi)) {
    const f = all.find((k) => k.toLowerCase() === m[1]!.toLowerCase());
    if (f) found.add(f);
  }
  return all.filter((k) => found.has(k));
}
