import { describe, expect, it } from 'vitest';
import { exportRules, importPlan, parseLocalRules } from './local-rules.js';
import { defaultRule, type SamplingRuleRecord } from './rules.js';

const v2 = {
  version: 2,
  rules: [
    { description: 'Player moves.', host: '*', http_method: 'POST', url_path: '/api/move/*', fixed_target: 0, rate: 0.05 },
    { host: 'api.example.com', http_method: '*', url_path: '*', fixed_target: 3, rate: 0.2 },
  ],
  default: { fixed_target: 1, rate: 0.1 },
};

describe('local sampling rules files', () => {
  it('turns a version 2 file into centralized rules in the same order, and back', () => {
    const plan = importPlan(parseLocalRules(JSON.stringify(v2)));
    expect(
      plan.rules.map((r) => [r.RuleName, r.Priority, r.Host, r.HTTPMethod, r.URLPath, r.ReservoirSize, r.FixedRate, r.ServiceName]),
    ).toEqual([
      ['Player-moves', 100, '*', 'POST', '/api/move/*', 0, 0.05, '*'],
      ['local-2', 110, 'api.example.com', '*', '*', 3, 0.2, '*'],
    ]);
    expect(plan.default).toEqual({ FixedRate: 0.1, ReservoirSize: 1 });
    const records: SamplingRuleRecord[] = [
      { ...defaultRule(), SamplingRule: { ...defaultRule().SamplingRule, FixedRate: 0.1, ReservoirSize: 1 } },
      ...plan.rules.map((r) => ({ SamplingRule: { ...r, RuleARN: `arn:${r.RuleName}` }, CreatedAt: 1, ModifiedAt: 1 })),
    ];
    const { file, skipped } = exportRules(records);
    expect(skipped).toEqual([]);
    expect(file).toEqual({
      version: 2,
      rules: [
        { description: 'Player-moves', host: '*', http_method: 'POST', url_path: '/api/move/*', fixed_target: 0, rate: 0.05 },
        { description: 'local-2', host: 'api.example.com', http_method: '*', url_path: '*', fixed_target: 3, rate: 0.2 },
      ],
      default: { fixed_target: 1, rate: 0.1 },
    });
  });

  it('reads version 1 files, which match the service name', () => {
    const plan = importPlan(
      parseLocalRules(
        JSON.stringify({
          version: 1,
          rules: [{ service_name: 'cart', http_method: 'GET', url_path: '/', fixed_target: 1, rate: 0 }],
          default: { fixed_target: 1, rate: 0.05 },
        }),
      ),
    );
    expect(plan.rules[0]).toMatchObject({ ServiceName: 'cart', Host: '*' });
  });

  it('leaves out of an export what version 2 cannot say', () => {
    const rule = { ...defaultRule().SamplingRule, RuleName: 'svc', Priority: 5, ServiceName: 'cart' };
    expect(exportRules([{ SamplingRule: rule, CreatedAt: 0, ModifiedAt: 0 }]).skipped).toEqual([
      { name: 'svc', why: 'a version 2 rules file cannot match on ServiceName cart' },
    ]);
  });

  it('names what is wrong in a file', () => {
    const bad: Array<[unknown, string]> = [
      [{ version: 3, default: { fixed_target: 1, rate: 0.1 } }, '"version" must be 1 or 2, not 3'],
      [{ version: 2 }, '"default" is required: {"fixed_target": N, "rate": R}'],
      [{ version: 2, default: { fixed_target: 1, rate: 2 } }, 'default.rate must be a number from 0 to 1'],
      [
        { version: 2, default: { fixed_target: 1, rate: 0.1, extra: 1 } },
        'unknown key "default.extra" (default has exactly fixed_target and rate)',
      ],
      [
        { version: 2, rules: [{ http_method: 'GET', url_path: '/', fixed_target: 1, rate: 0 }], default: { fixed_target: 1, rate: 0.1 } },
        'rules[0].host is required and must be a string',
      ],
      [
        {
          version: 2,
          rules: [{ service_name: 'x', host: '*', http_method: 'GET', url_path: '/', fixed_target: 1, rate: 0 }],
          default: { fixed_target: 1, rate: 0.1 },
        },
        'unknown key "rules[0].service_name" in a version 2 file (keys: description, host, http_method, url_path, fixed_target, rate)',
      ],
      [
        {
          version: 2,
          rules: [{ host: '*', http_method: 'GET', url_path: '/', fixed_target: -1, rate: 0 }],
          default: { fixed_target: 1, rate: 0.1 },
        },
        'rules[0].fixed_target must be a whole number of requests per second, 0 or more',
      ],
    ];
    for (const [doc, message] of bad) expect(() => parseLocalRules(JSON.stringify(doc)), message).toThrow(message);
    expect(() => parseLocalRules('{')).toThrow(/^the rules file is not valid JSON/);
  });
});
