import type { IncomingHttpHeaders } from 'node:http';
import type { SamplingRules } from '../../sampling/rules.js';
import type { SamplingTargets } from '../../sampling/targets.js';
import type { GetSamplingRulesResult, GetSamplingStatisticSummariesResult } from '@fluoro/contracts';
import { validateMembersAs } from './model.js';
import { decodeToken, encodeToken, isOffset } from './next-token.js';
import type { OperationHandlers } from './operations.js';

export interface SamplingContext {
  readonly rules: SamplingRules;
  readonly targets: SamplingTargets;
}

const RULES_PER_PAGE = 100;
const SUMMARIES_PER_PAGE = 500;

/**
 * Timestamps for a client that sent no User-Agent. X-Ray's API gives epoch seconds, and AWS SDKs
 * and most X-Ray SDKs read them so. The X-Ray SDK for Node.js (which talks to the daemon's
 * address with a bare `http.request`, no User-Agent) requires a number but reads it with
 * `new Date(value)`, which takes it as milliseconds: given seconds, its reservoir quotas would
 * always look expired and rule changes never be noticed. That client gets epoch milliseconds.
 */
function timestamp(seconds: number, headers: IncomingHttpHeaders): number {
  return headers['user-agent'] ? seconds : Math.round(seconds * 1000);
}

/** The X-Ray sampling operations (spec §5): rules management, targets and statistics. */
export const SAMPLING_HANDLERS: OperationHandlers<{ readonly sampling: SamplingContext }> = {
  async CreateSamplingRule(input, _request, { sampling }) {
    return { SamplingRuleRecord: await sampling.rules.create(input.SamplingRule) };
  },

  async UpdateSamplingRule(input, _request, { sampling }) {
    const update = input.SamplingRuleUpdate;
    validateMembersAs('SamplingRule', update, 'samplingRuleUpdate', ['Priority', 'FixedRate', 'ReservoirSize']);
    return { SamplingRuleRecord: await sampling.rules.update(update) };
  },

  async DeleteSamplingRule(input, _request, { sampling }) {
    return { SamplingRuleRecord: await sampling.rules.delete(input) };
  },

  async GetSamplingRules(input, _request, { sampling }) {
    const offset = input.NextToken ? decodeToken(input.NextToken, ['GetSamplingRules'], isOffset) : 0;
    const all = sampling.rules.list();
    const page = all.slice(offset, offset + RULES_PER_PAGE);
    const out: GetSamplingRulesResult = { SamplingRuleRecords: page };
    if (offset + RULES_PER_PAGE < all.length) out.NextToken = encodeToken(['GetSamplingRules'], offset + RULES_PER_PAGE);
    return out;
  },

  async GetSamplingTargets(input, { headers }, { sampling }) {
    const { targets, unprocessed } = sampling.targets.report(input.SamplingStatisticsDocuments);
    return {
      SamplingTargetDocuments: targets.map((t) => ({ ...t, ReservoirQuotaTTL: timestamp(t.ReservoirQuotaTTL, headers) })),
      LastRuleModification: timestamp(sampling.rules.lastModification, headers),
      UnprocessedStatistics: unprocessed,
      UnprocessedBoostStatistics: [],
    };
  },

  async GetSamplingStatisticSummaries(input, _request, { sampling }) {
    const offset = input.NextToken ? decodeToken(input.NextToken, ['GetSamplingStatisticSummaries'], isOffset) : 0;
    const all = sampling.targets.summaries();
    const out: GetSamplingStatisticSummariesResult = { SamplingStatisticSummaries: all.slice(offset, offset + SUMMARIES_PER_PAGE) };
    if (offset + SUMMARIES_PER_PAGE < all.length)
      out.NextToken = encodeToken(['GetSamplingStatisticSummaries'], offset + SUMMARIES_PER_PAGE);
    return out;
  },
};
