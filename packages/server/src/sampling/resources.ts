import type { ResourcePolicy, Tag } from '@fluoro/contracts';
import type { RecordStore } from '../storage/api/index.js';

const TAGS = 'tags';
const POLICIES = 'resource-policy';

/**
 * What the X-Ray API keeps about the account's resources beside the sampling rules, in the store's
 * records (so it survives restarts like them): tags by resource ARN, and resource policies by name.
 * The rules of the operations (limits, revisions) are the API's (`api/xray/account-operations.ts`).
 */
export class XrayResources {
  constructor(private readonly records: RecordStore) {}

  /** A resource's tags, in the order they were first set. */
  async tags(arn: string): Promise<Tag[]> {
    const found = (await this.records.list(TAGS)).find((r) => r.name === arn);
    return found ? (JSON.parse(found.doc) as Tag[]) : [];
  }

  /** Replaces a resource's tags (none: forgets them). */
  async setTags(arn: string, tags: readonly Tag[]): Promise<void> {
    if (tags.length) await this.records.put(TAGS, arn, JSON.stringify(tags));
    else await this.records.delete(TAGS, arn);
  }

  /** Every resource policy, by name. */
  async policies(): Promise<ResourcePolicy[]> {
    return (await this.records.list(POLICIES))
      .map((r) => JSON.parse(r.doc) as ResourcePolicy)
      .sort((a, b) => (a.PolicyName ?? '').localeCompare(b.PolicyName ?? ''));
  }

  async putPolicy(policy: ResourcePolicy & { PolicyName: string }): Promise<void> {
    await this.records.put(POLICIES, policy.PolicyName, JSON.stringify(policy));
  }

  async deletePolicy(name: string): Promise<void> {
    await this.records.delete(POLICIES, name);
  }
}
