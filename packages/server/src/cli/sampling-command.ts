import { readFileSync, writeFileSync } from 'node:fs';
import { formatAddress } from '../config/address.js';
import { ConfigError, loadConfig } from '../config/load.js';
import { exportRules, importPlan, parseLocalRules } from '../sampling/local-rules.js';
import type { SamplingRuleRecord } from '../sampling/rules.js';

export const SAMPLING_USAGE = `Usage:
  fluoro sampling import FILE [--endpoint URL]   Create or update rules from an X-Ray SDK local rules file (version 1 or 2)
  fluoro sampling export [--out FILE] [--endpoint URL]   Print the rules as a version 2 local rules file

They talk to a running Fluoro: --endpoint, else http://<the configured --http address>
(the start flags, FLUORO_* variables and --config apply).
`;

interface Io {
  out(text: string): void;
  err(text: string): void;
}

/** `fluoro sampling …`: returns the exit code. */
export async function samplingCommand(args: string[], io: Io): Promise<number> {
  const [action, ...rest] = args;
  const take = (flag: string): string | undefined => {
    const i = rest.indexOf(flag);
    if (i < 0) return undefined;
    const v = rest[i + 1];
    rest.splice(i, 2);
    return v;
  };
  const endpointFlag = take('--endpoint');
  const outFile = take('--out');
  if (action !== 'import' && action !== 'export') {
    io.err(`fluoro sampling: say import or export\n\n${SAMPLING_USAGE}`);
    return 2;
  }
  const file = action === 'import' ? rest.shift() : undefined;
  if (action === 'import' && !file) {
    io.err(`fluoro sampling import: which file?\n\n${SAMPLING_USAGE}`);
    return 2;
  }
  let endpoint = endpointFlag;
  if (!endpoint) {
    try {
      const { config } = loadConfig({ argv: rest, env: process.env });
      if (!config.http) throw new ConfigError(['the HTTP listener is disabled (--http 0); give --endpoint']);
      const host = ['0.0.0.0', '::'].includes(config.http.host) ? '127.0.0.1' : config.http.host;
      endpoint = `http://${formatAddress({ host, port: config.http.port })}`;
    } catch (err) {
      if (err instanceof ConfigError) {
        io.err(`fluoro sampling: ${err.message}\n`);
        return 2;
      }
      throw err;
    }
  }
  const call = async (operation: string, body: unknown): Promise<Record<string, unknown>> => {
    let res: Response;
    try {
      res = await fetch(`${endpoint}/${operation}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'fluoro-cli' },
        body: JSON.stringify(body),
      });
    } catch (err) {
      throw new Error(`cannot reach Fluoro at ${endpoint} (${(err as Error).message}); is it running? (--endpoint sets where)`);
    }
    const json = (await res.json()) as Record<string, unknown>;
    if (!res.ok) throw new Error(`${operation}: ${String(json['message'] ?? res.status)}`);
    return json;
  };
  try {
    const records: SamplingRuleRecord[] = [];
    let token: string | undefined;
    do {
      const page = await call('GetSamplingRules', token ? { NextToken: token } : {});
      records.push(...(page['SamplingRuleRecords'] as SamplingRuleRecord[]));
      token = page['NextToken'] as string | undefined;
    } while (token);

    if (action === 'export') {
      const { file: exported, skipped } = exportRules(records);
      const text = `${JSON.stringify(exported, null, 2)}\n`;
      if (outFile) writeFileSync(outFile, text);
      else io.out(text);
      for (const s of skipped) io.err(`fluoro sampling export: left out rule ${s.name}: ${s.why}\n`);
      return 0;
    }

    const plan = importPlan(parseLocalRules(readFileSync(file!, 'utf8')));
    const existing = new Set(records.map((r) => r.SamplingRule.RuleName));
    for (const rule of plan.rules) {
      if (existing.has(rule.RuleName)) {
        const { RuleName, ...update } = rule;
        await call('UpdateSamplingRule', { SamplingRuleUpdate: { RuleName, ...update } });
        io.out(`updated ${RuleName}\n`);
      } else {
        await call('CreateSamplingRule', { SamplingRule: rule });
        io.out(`created ${rule.RuleName}\n`);
      }
    }
    await call('UpdateSamplingRule', { SamplingRuleUpdate: { RuleName: 'Default', ...plan.default } });
    io.out(`updated Default: ReservoirSize ${plan.default.ReservoirSize}, FixedRate ${plan.default.FixedRate}\n`);
    io.out('note: a local fixed_target is per process; a centralized ReservoirSize is shared by every instance of a service\n');
    return 0;
  } catch (err) {
    io.err(`fluoro sampling ${action}: ${(err as Error).message}\n`);
    return 1;
  }
}
