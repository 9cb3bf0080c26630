import { createHash } from 'node:crypto';
import type { ResourcePolicy, Tag } from '@fluoro/contracts';
import { FluoroError, invalidRequest } from '../../platform/errors/catalog.js';
import { RULE_ARN_PREFIX, type SamplingRules } from '../../sampling/rules.js';
import type { XrayResources } from '../../sampling/resources.js';
import { offsetPage } from './next-token.js';
import type { OperationHandlers } from './operations.js';

/**
 * What the X-Ray API says about the account's resources beside the traces: tags on sampling rules
 * (groups come with the alarms issue), resource policies, and encryption at rest. Kept in the
 * store's records (`XrayResources`), so they survive restarts like the rules.
 */
export interface AccountContext {
  readonly resources: XrayResources;
  readonly rules: SamplingRules;
}

/** X-Ray's limits: 50 tags a resource; 5 resource policies of at most 5 KB each. */
const MAX_TAGS = 50;
const MAX_POLICIES = 5;
const MAX_POLICY_BYTES = 5 * 1024;
const TAGS_PER_PAGE = 50;
const POLICIES_PER_PAGE = 5;

/** The sampling rule an ARN names, or ResourceNotFound (the ARN of a group: groups are not there yet). */
function requireResource(rules: SamplingRules, arn: string): void {
  if (!rules.byArn(arn)) {
    throw new FluoroError('ResourceNotFound', `no sampling rule or group with ARN ${arn} (sampling rule ARNs start ${RULE_ARN_PREFIX})`);
  }
}

/** Refuses tags X-Ray refuses (beyond the model's lengths): the reserved `aws:` prefix. */
export function checkTags(tags: readonly Tag[]): void {
  for (const t of tags) {
    if (t.Key.toLowerCase().startsWith('aws:')) throw invalidRequest(`tag key ${JSON.stringify(t.Key)}: the prefix aws: is reserved`);
  }
}

/** Adds or replaces `tags` on a resource: the one place both TagResource and CreateSamplingRule write tags. */
export async function tagResource(resources: XrayResources, arn: string, tags: readonly Tag[]): Promise<void> {
  checkTags(tags);
  const current = new Map((await resources.tags(arn)).map((t) => [t.Key, t.Value]));
  for (const t of tags) current.set(t.Key, t.Value);
  if (current.size > MAX_TAGS) {
    throw new FluoroError('TooManyTags', `${arn} would hold ${current.size} tags; the limit is ${MAX_TAGS}`);
  }
  await resources.setTags(
    arn,
    [...current].map(([Key, Value]) => ({ Key, Value })),
  );
}

function revisionOf(doc: string, updated: number): string {
  return createHash('sha256').update(`${updated}\n${doc}`).digest('hex').slice(0, 32);
}

function checkPolicyDocument(doc: string): void {
  if (Buffer.byteLength(doc) > MAX_POLICY_BYTES) {
    throw new FluoroError('PolicySizeLimitExceeded', `the policy document is ${Buffer.byteLength(doc)} bytes; the limit is 5 KB`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(doc);
  } catch (err) {
    throw new FluoroError('MalformedPolicyDocument', `the policy document is not JSON: ${(err as Error).message}`);
  }
  const statement = (parsed as { Statement?: unknown } | null)?.Statement;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || statement === undefined) {
    throw new FluoroError('MalformedPolicyDocument', 'the policy document must be a JSON object with a Statement (IAM policy grammar)');
  }
}

export const ACCOUNT_HANDLERS: OperationHandlers<{ readonly account: AccountContext }> = {
  async TagResource(input, _request, { account }) {
    requireResource(account.rules, input.ResourceARN);
    await tagResource(account.resources, input.ResourceARN, input.Tags);
    return {};
  },

  async UntagResource(input, _request, { account }) {
    requireResource(account.rules, input.ResourceARN);
    const gone = new Set(input.TagKeys);
    const kept = (await account.resources.tags(input.ResourceARN)).filter((t) => !gone.has(t.Key));
    await account.resources.setTags(input.ResourceARN, kept);
    return {};
  },

  async ListTagsForResource(input, _request, { account }) {
    requireResource(account.rules, input.ResourceARN);
    const all = await account.resources.tags(input.ResourceARN);
    const page = offsetPage(all, input.NextToken, ['ListTagsForResource', input.ResourceARN], TAGS_PER_PAGE);
    return { Tags: page.items, ...(page.next ? { NextToken: page.next } : {}) };
  },

  async PutResourcePolicy(input, _request, { account }) {
    checkPolicyDocument(input.PolicyDocument);
    const all = await account.resources.policies();
    const current = all.find((p) => p.PolicyName === input.PolicyName);
    if (input.PolicyRevisionId !== undefined && input.PolicyRevisionId !== current?.PolicyRevisionId) {
      throw new FluoroError(
        'InvalidPolicyRevisionId',
        current
          ? `policy ${input.PolicyName} is at revision ${current.PolicyRevisionId}, not ${input.PolicyRevisionId}`
          : `there is no policy ${input.PolicyName} to update; leave PolicyRevisionId out to create it`,
      );
    }
    if (!current && all.length >= MAX_POLICIES) {
      throw new FluoroError('PolicyCountLimitExceeded', `there are already ${all.length} resource policies; the limit is ${MAX_POLICIES}`);
    }
    const updated = Date.now() / 1000;
    const policy: ResourcePolicy & { PolicyName: string } = {
      PolicyName: input.PolicyName,
      PolicyDocument: input.PolicyDocument,
      PolicyRevisionId: revisionOf(input.PolicyDocument, updated),
      LastUpdatedTime: updated,
    };
    await account.resources.putPolicy(policy);
    return { ResourcePolicy: policy };
  },

  async ListResourcePolicies(input, _request, { account }) {
    const page = offsetPage(await account.resources.policies(), input.NextToken, ['ListResourcePolicies'], POLICIES_PER_PAGE);
    return { ResourcePolicies: page.items, ...(page.next ? { NextToken: page.next } : {}) };
  },

  async DeleteResourcePolicy(input, _request, { account }) {
    const current = (await account.resources.policies()).find((p) => p.PolicyName === input.PolicyName);
    if (current && input.PolicyRevisionId !== undefined && input.PolicyRevisionId !== current.PolicyRevisionId) {
      throw new FluoroError(
        'InvalidPolicyRevisionId',
        `policy ${input.PolicyName} is at revision ${current.PolicyRevisionId}, not ${input.PolicyRevisionId}`,
      );
    }
    // As X-Ray: deleting a policy that does not exist succeeds.
    await account.resources.deletePolicy(input.PolicyName);
    return {};
  },

  async GetEncryptionConfig() {
    return { EncryptionConfig: { Type: 'NONE', Status: 'ACTIVE' } };
  },

  async PutEncryptionConfig(input) {
    if (input.Type === 'KMS') {
      throw invalidRequest(
        'Fluoro does not encrypt with KMS keys: its store is a file on this machine (or ClickHouse). Encrypt the volume that holds the data directory (LUKS/dm-crypt, an encrypted EBS volume) and serve TLS (tls.certFile); Type NONE keeps that configuration',
      );
    }
    return { EncryptionConfig: { Type: 'NONE', Status: 'ACTIVE' } };
  },
};
