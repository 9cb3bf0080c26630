import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shop } from '../../../fixtures/index.js';
import { samplingRule, startTestFluoro, tempDir, type TestFluoro } from './helpers.js';

/** Acceptance: the real AWS CLI (Debian's awscli, installed by .ci/run) against Fluoro. */
const AWS = '/usr/bin/aws';
const run = promisify(execFile);

describe('the AWS CLI against Fluoro', () => {
  const fx = shop();
  const B = fx.base;
  const home = tempDir('fluoro-aws-home-');
  let f: TestFluoro;

  async function aws(...args: string[]): Promise<Record<string, any>> {
    const { stdout } = await run(AWS, ['xray', ...args, '--endpoint-url', f.url, '--output', 'json'], {
      env: {
        PATH: process.env['PATH'],
        HOME: home.path,
        AWS_ACCESS_KEY_ID: 'fluoro',
        AWS_SECRET_ACCESS_KEY: 'fluoro',
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_PAGER: '',
      },
      timeout: 60_000,
    });
    // Operations that answer {} print nothing.
    return (stdout.trim() ? JSON.parse(stdout) : {}) as Record<string, any>;
  }

  /** The CLI's stderr for a call that must fail. */
  async function awsFails(...args: string[]): Promise<string> {
    try {
      await aws(...args);
    } catch (err) {
      return (err as { stderr: string }).stderr;
    }
    throw new Error(`aws xray ${args[0]} was expected to fail`);
  }

  beforeAll(async () => {
    if (!existsSync(AWS)) throw new Error(`${AWS} is missing: install Debian's awscli (apt-get install -y awscli), as .ci/run does`);
    f = await startTestFluoro();
  });
  afterAll(async () => {
    await f?.stop();
    home.remove();
  });

  it('put-trace-segments stores documents and reports the unprocessed one', async () => {
    for (const step of fx.steps) {
      const out = await aws('put-trace-segments', '--trace-segment-documents', ...step.documents.map((d) => JSON.stringify(d)));
      expect(out, step.label).toEqual({ UnprocessedTraceSegments: [] });
    }
    const bad = await aws(
      'put-trace-segments',
      '--trace-segment-documents',
      '{"name":"x","id":"00000000000000aa","trace_id":"1-6955b900-000000000000000000000000","start_time":1767225600}',
    );
    expect(bad['UnprocessedTraceSegments']).toEqual([
      {
        Id: '00000000000000aa',
        ErrorCode: 'MissingEndTime',
        Message: 'segment 00000000000000aa: "end_time" is missing and "in_progress" is not true',
      },
    ]);
  });

  it('get-trace-summaries lists every trace of the window, newest first', async () => {
    const out = await aws('get-trace-summaries', '--start-time', String(B), '--end-time', String(B + 100));
    expect(out['TraceSummaries'].map((s: { Id: string }) => s.Id)).toEqual(
      ['T7', 'T6', 'T5', 'T4', 'T3', 'T2', 'T1'].map((k) => fx.traceIds[k as 'T1']),
    );
    expect(out['TraceSummaries'][5]).toMatchObject({ Id: fx.traceIds.T2, HasFault: true, HasThrottle: true, Http: { HttpStatus: 500 } });
  });

  it('batch-get-traces returns the segment documents', async () => {
    const out = await aws('batch-get-traces', '--trace-ids', fx.traceIds.T1, '1-6955b900-0123456789abcdef01234567');
    expect(out['UnprocessedTraceIds']).toEqual(['1-6955b900-0123456789abcdef01234567']);
    const docs = out['Traces'][0]['Segments'].map((s: { Document: string }) => JSON.parse(s.Document));
    expect(docs.map((d: { name: string }) => d.name).sort()).toEqual(['cart', 'carts', 'catalog@db.internal', 'frontend']);
  });

  it('get-service-graph draws the shop', async () => {
    const out = await aws('get-service-graph', '--start-time', String(B), '--end-time', String(B + 100));
    const names = out['Services'].map((s: { Name: string; Type: string }) => `${s.Name}|${s.Type}`).sort();
    expect(names).toEqual(
      [
        'carts|AWS::DynamoDB::Table',
        'cart|service',
        'catalog@db.internal|Database::SQL',
        'frontend|client',
        'frontend|service',
        'payments.example.com|remote',
      ].sort(),
    );
    const frontend = out['Services'].find((s: { Name: string; Type: string }) => s.Name === 'frontend' && s.Type === 'service');
    expect(frontend.SummaryStatistics.TotalCount).toBe(6);
  });

  it('get-trace-graph draws one trace', async () => {
    const out = await aws('get-trace-graph', '--trace-ids', fx.traceIds.T2);
    const cart = out['Services'].find((s: { Name: string }) => s.Name === 'cart');
    expect(cart.SummaryStatistics).toMatchObject({ TotalCount: 1, FaultStatistics: { TotalCount: 1 } });
  });

  it('tags sampling rules, keeps resource policies and reports encryption at rest (issue 12 #5)', async () => {
    const created = await aws(
      'create-sampling-rule',
      '--sampling-rule',
      JSON.stringify(samplingRule('tagged', { Priority: 50, ReservoirSize: 1, URLPath: '/tagged/*' })),
      '--tags',
      'Key=team,Value=checkout',
    );
    const arn = created['SamplingRuleRecord']['SamplingRule']['RuleARN'] as string;
    expect(await aws('list-tags-for-resource', '--resource-arn', arn)).toEqual({ Tags: [{ Key: 'team', Value: 'checkout' }] });
    await aws('tag-resource', '--resource-arn', arn, '--tags', 'Key=team,Value=payments', 'Key=tier,Value=gold');
    expect((await aws('list-tags-for-resource', '--resource-arn', arn))['Tags']).toEqual([
      { Key: 'team', Value: 'payments' },
      { Key: 'tier', Value: 'gold' },
    ]);
    await aws('untag-resource', '--resource-arn', arn, '--tag-keys', 'team');
    expect((await aws('list-tags-for-resource', '--resource-arn', arn))['Tags']).toEqual([{ Key: 'tier', Value: 'gold' }]);
    const missing = await awsFails('list-tags-for-resource', '--resource-arn', `${arn}-gone`);
    expect(missing).toContain('ResourceNotFoundException');
    await aws('delete-sampling-rule', '--rule-name', 'tagged');

    const doc = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'xray:PutTraceSegments', Resource: '*' }],
    });
    const put = await aws('put-resource-policy', '--policy-name', 'sns-tracing', '--policy-document', doc);
    expect(put['ResourcePolicy']).toMatchObject({ PolicyName: 'sns-tracing', PolicyDocument: doc });
    const revision = put['ResourcePolicy']['PolicyRevisionId'] as string;
    expect((await aws('list-resource-policies'))['ResourcePolicies']).toEqual([put['ResourcePolicy']]);
    expect(
      await awsFails('put-resource-policy', '--policy-name', 'sns-tracing', '--policy-document', doc, '--policy-revision-id', 'stale'),
    ).toContain('InvalidPolicyRevisionIdException');
    expect(await awsFails('put-resource-policy', '--policy-name', 'bad', '--policy-document', '{"no": "statement"}')).toContain(
      'MalformedPolicyDocumentException',
    );
    await aws('delete-resource-policy', '--policy-name', 'sns-tracing', '--policy-revision-id', revision);
    expect((await aws('list-resource-policies'))['ResourcePolicies']).toEqual([]);

    expect(await aws('get-encryption-config')).toEqual({ EncryptionConfig: { Type: 'NONE', Status: 'ACTIVE' } });
    expect(await aws('put-encryption-config', '--type', 'NONE')).toEqual({ EncryptionConfig: { Type: 'NONE', Status: 'ACTIVE' } });
    const kms = await awsFails('put-encryption-config', '--type', 'KMS', '--key-id', 'alias/aws/xray');
    expect(kms).toContain('Fluoro does not encrypt with KMS keys');
  });

  it('shows AWS-style errors', async () => {
    const err = await aws('get-trace-summaries', '--start-time', String(B + 10), '--end-time', String(B)).catch(
      (e: { stderr: string }) => e,
    );
    expect((err as { stderr: string }).stderr).toContain(
      'An error occurred (InvalidRequestException) when calling the GetTraceSummaries operation: EndTime',
    );
  });
});
