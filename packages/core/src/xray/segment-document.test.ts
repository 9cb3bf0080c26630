import { describe, expect, it } from 'vitest';
import { everyField, invalidDocuments } from '../../../../fixtures/index.js';
import { REJECT_CODES } from './reject.js';
import { parseSegmentDocument } from './segment-document.js';

describe('parseSegmentDocument: invalid documents', () => {
  it.each(invalidDocuments())('$case → $code', ({ document, code, message, id }) => {
    const result = parseSegmentDocument(document);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.rejection.code).toBe(code);
    expect(result.rejection.message).toContain(message);
    expect(result.rejection.id).toBe(id);
  });

  it('uses only catalogued codes, and the fixture exercises every one', () => {
    const used = new Set(invalidDocuments().map((c) => c.code));
    for (const code of used) expect(REJECT_CODES).toContain(code);
    for (const code of REJECT_CODES) expect(used, `no fixture case for ${code}`).toContain(code);
  });
});

describe('parseSegmentDocument: valid documents', () => {
  const fx = everyField();
  const [root, inventory] = fx.documents;

  it('flattens a segment and its nested subsegments, parents first, with their owner', () => {
    const result = parseSegmentDocument(JSON.stringify(root));
    if (!result.ok) throw new Error(result.rejection.message);
    const spans = result.spans;
    expect(spans.map((s) => s.id)).toEqual([
      'a1b2c3d4e5f60001',
      'a1b2c3d4e5f60002',
      'a1b2c3d4e5f60003',
      'a1b2c3d4e5f60004',
      'a1b2c3d4e5f60005',
      'a1b2c3d4e5f60006',
      'a1b2c3d4e5f60007',
      'a1b2c3d4e5f60008',
    ]);
    for (const s of spans) {
      expect(s.traceId).toBe('6955b900e8a4b3c2d1f0a9b8c7d6e5f4');
      expect(s.owner).toEqual({ segmentId: 'a1b2c3d4e5f60001', service: 'checkout-api', serviceType: 'AWS::ECS::Container' });
      expect(s.traceTime).toBe(0x6955b900);
    }
    const [seg, dynamo, payments, sqlCall, render, cache, pdf, inv] = spans;
    expect(seg).toMatchObject({
      kind: 'segment',
      parentId: null,
      fault: true,
      user: 'alice@example.com',
      resourceArn: 'arn:aws:ecs:eu-west-1:123456789012:task/shop/0f3e',
      accountId: '123456789012',
      instanceId: 'i-0abc1234def567890',
      availabilityZone: 'eu-west-1a',
      http: {
        method: 'POST',
        url: 'https://shop.example.com/api/checkout?x=1',
        status: 502,
        clientIp: '203.0.113.7',
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
      },
      annotations: { tier: 'gold', cart_items: 3, express: true, 'order.id': 'ord-77' },
      downstream: null,
    });
    // The document is stored once, as sent, on its root span.
    expect(JSON.parse(seg!.doc!)).toEqual(root);
    expect(seg!.docId).toBe('a1b2c3d4e5f60001');
    expect(dynamo).toMatchObject({
      kind: 'subsegment',
      parentId: 'a1b2c3d4e5f60001',
      docId: 'a1b2c3d4e5f60001',
      doc: null,
      downstream: { name: 'carts', type: 'AWS::DynamoDB::Table' },
    });
    expect(payments!.downstream).toEqual({ name: 'payments.example.net', type: 'remote' });
    expect(sqlCall!.downstream).toEqual({ name: 'orders@db.internal', type: 'Database::SQL' });
    expect(render!.downstream).toBeNull();
    expect(cache).toMatchObject({ parentId: 'a1b2c3d4e5f60005', error: true, throttle: true, doc: null });
    expect(pdf).toMatchObject({ inProgress: true, endTime: null });
    expect(inv!.downstream).toEqual({ name: 'inventory.internal', type: 'remote' });
    const inventoryResult = parseSegmentDocument(JSON.stringify(inventory));
    expect(inventoryResult.ok && inventoryResult.spans[0]!.parentId).toBe('a1b2c3d4e5f60008');
  });

  it('keeps the document text exactly as sent', () => {
    const text = JSON.stringify(inventory, null, 2);
    const result = parseSegmentDocument(text);
    expect(result.ok && result.spans[0]!.doc).toBe(text);
  });

  it('does not make a second downstream node of a call made inside a call', () => {
    const doc = {
      name: 'svc',
      id: '00000000000000a1',
      trace_id: '1-6955b900-0123456789abcdef01234567',
      start_time: 1,
      end_time: 2,
      subsegments: [
        {
          name: 'S3',
          id: '00000000000000a2',
          start_time: 1,
          end_time: 2,
          namespace: 'aws',
          subsegments: [{ name: 's3.amazonaws.com', id: '00000000000000a3', start_time: 1, end_time: 2, namespace: 'remote' }],
        },
      ],
    };
    const result = parseSegmentDocument(JSON.stringify(doc));
    if (!result.ok) throw new Error(result.rejection.message);
    expect(result.spans.map((s) => s.downstream)).toEqual([null, { name: 'S3', type: 'AWS::S3' }, null]);
  });

  it('accepts a subsegment sent on its own, without an owner until it is linked', () => {
    const result = parseSegmentDocument(
      JSON.stringify({
        type: 'subsegment',
        name: 'api.example.com',
        id: '53995c3f42cd8ad8',
        trace_id: '1-581cf771-a006649127e371903a2de979',
        parent_id: 'defdfd9912dc5a56',
        start_time: 1478293361.271,
        end_time: 1478293361.449,
        namespace: 'remote',
      }),
    );
    if (!result.ok) throw new Error(result.rejection.message);
    expect(result.spans[0]).toMatchObject({ kind: 'subsegment', parentId: 'defdfd9912dc5a56', owner: null, docId: '53995c3f42cd8ad8' });
    expect(result.spans[0]!.doc).toContain('"api.example.com"');
  });

  it('accepts W3C trace IDs and in-progress segments', () => {
    const result = parseSegmentDocument(
      JSON.stringify({
        name: 'svc',
        id: '00000000000000a1',
        trace_id: '4efaaf4d1e8720b39541901950019ee5',
        start_time: 1767225600,
        in_progress: true,
      }),
    );
    expect(result.ok && result.spans[0]).toMatchObject({ traceId: '4efaaf4d1e8720b39541901950019ee5', inProgress: true, endTime: null });
  });

  it('keeps annotations filter expressions cannot name, as attributes, and counts them', () => {
    const long = 'x'.repeat(1001);
    const result = parseSegmentDocument(
      JSON.stringify({
        name: 'mesh/frontend',
        id: '00000000000000a1',
        trace_id: '1-6955b900-0123456789abcdef01234567',
        start_time: 1767225600,
        end_time: 1767225601,
        origin: 'AWS::AppMesh::Proxy',
        annotations: {
          direction: 'ingress',
          'guid:x-request-id': 'f3c0',
          'upstream_cluster.name': 'cds',
          long,
          nested: { a: 1 },
          none: null,
        },
        metadata: { default: 5 },
      }),
    );
    if (!result.ok) throw new Error(result.rejection.message);
    expect(result.unindexed).toBe(3);
    expect(result.spans[0]!.annotations).toEqual({ direction: 'ingress', 'upstream_cluster.name': 'cds' });
    expect(result.spans[0]!.attributes).toEqual({ 'guid:x-request-id': 'f3c0', long, nested: { a: 1 } });
    expect(result.spans[0]!.doc).toContain('"guid:x-request-id":"f3c0"');
  });
});
