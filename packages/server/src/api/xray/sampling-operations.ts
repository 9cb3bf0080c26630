import type { SamplingRules } from '../../sampling/rules.js';
import type { SamplingTargets, TimeUnit } from '../../sampling/targets.js';
import type { GetSamplingRulesResult, GetSamplingStatisticSummariesResult } from '@fluoro/contracts';
import { validateMembersAs } from './model.js';
import { offsetPage } from './next-token.js';
import type { OperationHandlers } from './operations.js';
import type { XrayResources } from '../../sampling/resources.js';
import { checkTags, tagResource } from './account-operations.js';

export interface SamplingContext {
  readonly rules: SamplingRules;
  readonly targets: SamplingTargets;
  /** Where the rules' tags are kept. */
  readonly resources: XrayResources;
}

const RULES_PER_PAGE = 100;
const SUMMARIES_PER_PAGE = 500;

/** A timestamp in the unit the client reads (`TimeUnit`: X-Ray's epoch seconds, unless it showed it reads milliseconds). */
function timestamp(seconds: number, unit: TimeUnit): number {
  return unit === 'seconds' ? seconds : Math.round(seconds * 1000);
}

/** The X-Ray sampling operations (spec §5): rules management, targets and statistics. */
export const SAMPLING_HANDLERS: OperationHandlers<{ readonly sampling: SamplingContext }> = {
  async CreateSamplingRule(input, _request, { sampling }) {
    if (input.Tags?.length) checkTags(input.Tags);
    const record = await sampling.rules.create(input.SamplingRule);
    if (input.Tags?.length) await tagResource(sampling.resources, record.SamplingRule.RuleARN!, input.Tags);
    return { SamplingRuleRecord: record };
  },

  async UpdateSamplingRule(input, _request, { sampling }) {
    const update = input.SamplingRuleUpdate;
    validateMembersAs('SamplingRule', update, 'samplingRuleUpdate', ['Priority', 'FixedRate', 'ReservoirSize']);
    return { SamplingRuleRecord: await sampling.rules.update(update) };
  },

  async DeleteSamplingRule(input, _request, { sampling }) {
    const record = await sampling.rules.delete(input);
    await sampling.resources.setTags(record.SamplingRule.RuleARN!, []);
    return { SamplingRuleRecord: record };
  },

  async GetSamplingRules(input, _request, { sampling }) {
    const page = offsetPage(sampling.rules.list(), input.NextToken, ['GetSamplingRules'], RULES_PER_PAGE);
    const out: GetSamplingRulesResult = { SamplingRuleRecords: page.items };
    if (page.next) out.NextToken = page.next;
    return out;
  },

  async GetSamplingTargets(input, _request, { sampling }) {
    const { targets, unprocessed, unit } = sampling.targets.report(input.SamplingStatisticsDocuments);
    return {
      SamplingTargetDocuments: targets.map((t) => ({ ...t, ReservoirQuotaTTL: timestamp(t.ReservoirQuotaTTL, unit) })),
      LastRuleModification: timestamp(sampling.rules.lastModification, unit),
      UnprocessedStatistics: unprocessed,
      UnprocessedBoostStatistics: [],
    };
  },

  async GetSamplingStatisticSummaries(input, _request, { sampling }) {
    const page = offsetPage(sampling.targets.summaries(), input.NextToken, ['GetSamplingStatisticSummaries'], SUMMARIES_PER_PAGE);
    const out: GetSamplingStatisticSummariesResult = { SamplingStatisticSummaries: page.items };
    if (page.next) out.NextToken = page.next;
    return out;
  },
};
