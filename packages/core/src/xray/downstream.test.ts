import { describe, expect, it } from 'vitest';
import { downstreamOf } from './downstream.js';

describe('downstreamOf: AWS calls (issue 12 #3)', () => {
  const call = (name: string, aws: Record<string, unknown>) => downstreamOf({ namespace: 'aws', aws }, name, false);

  it('spells the service as X-Ray does, whichever SDK named the subsegment', () => {
    // The Python SDK names it "dynamodb", the Node SDK "DynamoDB": one table, one node.
    expect(call('dynamodb', { operation: 'GetItem', table_name: 'carts' })).toEqual({ name: 'carts', type: 'AWS::DynamoDB::Table' });
    expect(call('DynamoDB', { operation: 'PutItem', table_name: 'carts' })).toEqual({ name: 'carts', type: 'AWS::DynamoDB::Table' });
    expect(call('dynamodb', { operation: 'ListTables' })).toEqual({ name: 'DynamoDB', type: 'AWS::DynamoDB' });
    expect(call('sts', { operation: 'GetCallerIdentity' })).toEqual({ name: 'STS', type: 'AWS::STS' });
    expect(call('Textract', { operation: 'AnalyzeDocument' })).toEqual({ name: 'Textract', type: 'AWS::Textract' });
  });

  it('draws one node per table, queue, topic, bucket and function, named after it', () => {
    expect(call('DynamoDB', { table_name: 'orders' })).toEqual({ name: 'orders', type: 'AWS::DynamoDB::Table' });
    expect(call('DynamoDB', { table_names: ['orders'] })).toEqual({ name: 'orders', type: 'AWS::DynamoDB::Table' });
    expect(call('DynamoDB', { table_names: ['orders', 'carts'] })).toEqual({ name: 'DynamoDB', type: 'AWS::DynamoDB' });
    expect(call('sqs', { queue_url: 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders' })).toEqual({
      name: 'orders',
      type: 'AWS::SQS::Queue',
    });
    expect(call('SNS', { topic_arn: 'arn:aws:sns:eu-west-1:123456789012:shipments' })).toEqual({
      name: 'shipments',
      type: 'AWS::SNS::Topic',
    });
    expect(call('s3', { bucket_name: 'images' })).toEqual({ name: 'images', type: 'AWS::S3::Bucket' });
    expect(call('Lambda', { function_name: 'arn:aws:lambda:eu-west-1:123456789012:function:resize:3' })).toEqual({
      name: 'resize',
      type: 'AWS::Lambda::Function',
    });
    expect(call('lambda', { function_name: 'resize' })).toEqual({ name: 'resize', type: 'AWS::Lambda::Function' });
  });
});
