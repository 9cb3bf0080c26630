import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEADER, metric, sendDatagrams, startTestFluoro, waitFor, xray, type TestFluoro } from './helpers.js';

type Json = Record<string, any>;

/**
 * Issue 12 #1: segments exactly as Envoy's X-Ray tracer writes them (source/extensions/tracers/xray:
 * every span of the proxy a segment of its own named after the virtual node, origin
 * `AWS::AppMesh::Proxy`, the `aws.app_mesh` block, every request tag an annotation — among them
 * `guid:x-request-id` — plus `direction`, and an upstream child span sent as a stand-alone
 * subsegment), around two applications traced by an X-Ray SDK: client → frontend's ingress proxy →
 * frontend → frontend's egress proxy → catalog's ingress proxy → catalog.
 */
describe('an App Mesh / Envoy mesh', () => {
  let f: TestFluoro;
  const now = Math.floor(Date.now() / 1000) - 30;
  const traceId = `1-${now.toString(16)}-5e1f0a0b0c0d0e0f10111213`;
  const id = (n: number) => n.toString(16).padStart(16, '0');
  const P1 = id(0xe1); // frontend's ingress proxy
  const C1 = id(0xe2); // its upstream child span
  const A1 = id(0xa1); // frontend (X-Ray SDK)
  const S1 = id(0xa2); // frontend's call to catalog
  const P2 = id(0xe3); // frontend's egress proxy
  const P3 = id(0xe4); // catalog's ingress proxy
  const A2 = id(0xa3); // catalog (X-Ray SDK)
  const requestId = '8d1c2bfa-1f0e-4f59-9a0b-2c1a4f3e9d10';

  /** A span as Envoy serializes it (proto3 JSON: fields at their defaults are left out). */
  const envoy = (
    spanId: string,
    parent: string | null,
    node: string,
    direction: 'ingress' | 'egress',
    url: string,
    start: number,
    end: number,
    cluster: string,
  ) => ({
    name: `shop/${node}`,
    id: spanId,
    trace_id: traceId,
    start_time: start,
    end_time: end,
    origin: 'AWS::AppMesh::Proxy',
    ...(parent ? { parent_id: parent } : {}),
    aws: { app_mesh: { mesh_name: 'shop', virtual_node_name: `${node}-vn` } },
    http: {
      request: { url, method: 'GET', user_agent: 'curl/8.5.0', client_ip: '10.0.1.7', x_forwarded_for: false },
      response: { status: 200, content_length: 512 },
    },
    annotations: {
      'guid:x-request-id': requestId,
      node_id: `mesh/shop/virtualNode/${node}-vn`,
      zone: 'eu-west-1a',
      'http.protocol': 'HTTP/1.1',
      upstream_cluster: cluster,
      'upstream_cluster.name': cluster,
      downstream_cluster: '-',
      request_size: '0',
      response_flags: '-',
      component: 'proxy',
      direction,
    },
  });

  const documents = [
    envoy(
      P1,
      null,
      'frontend',
      'ingress',
      'http://frontend.shop.local:8080/checkout',
      now,
      now + 0.4,
      'cds_ingress_shop_frontend-vn_http_8080',
    ),
    {
      name: 'router cds_ingress_shop_frontend-vn_http_8080 egress',
      id: C1,
      trace_id: traceId,
      parent_id: P1,
      type: 'subsegment',
      start_time: now + 0.001,
      end_time: now + 0.399,
      http: { request: { url: 'http://frontend.shop.local:8080/checkout', method: 'GET' }, response: { status: 200 } },
      annotations: {
        'guid:x-request-id': requestId,
        'upstream_cluster.name': 'cds_ingress_shop_frontend-vn_http_8080',
        direction: 'egress',
      },
    },
    {
      name: 'frontend',
      id: A1,
      trace_id: traceId,
      parent_id: P1,
      start_time: now + 0.002,
      end_time: now + 0.398,
      http: { request: { url: 'http://frontend.shop.local:8080/checkout', method: 'GET' }, response: { status: 200 } },
      subsegments: [
        {
          name: 'catalog.shop.local',
          id: S1,
          namespace: 'remote',
          start_time: now + 0.01,
          end_time: now + 0.3,
          http: { request: { url: 'http://catalog.shop.local:8080/products', method: 'GET' }, response: { status: 200 } },
        },
      ],
    },
    envoy(
      P2,
      S1,
      'frontend',
      'egress',
      'http://catalog.shop.local:8080/products',
      now + 0.011,
      now + 0.299,
      'cds_egress_shop_catalog-vn_http_8080',
    ),
    envoy(
      P3,
      P2,
      'catalog',
      'ingress',
      'http://catalog.shop.local:8080/products',
      now + 0.012,
      now + 0.298,
      'cds_ingress_shop_catalog-vn_http_8080',
    ),
    {
      name: 'catalog',
      id: A2,
      trace_id: traceId,
      parent_id: P3,
      start_time: now + 0.013,
      end_time: now + 0.297,
      http: { request: { url: 'http://catalog.shop.local:8080/products', method: 'GET' }, response: { status: 200 } },
    },
  ];

  beforeAll(async () => {
    f = await startTestFluoro();
    // Envoy sends to the daemon's UDP port, one span per datagram.
    await sendDatagrams(
      f.udp,
      documents.map((d) => HEADER + JSON.stringify(d)),
    );
    await waitFor(
      async () => (await metric(f.url, 'fluoro_documents_accepted_total', { receiver: 'udp' })) >= documents.length,
      'the documents',
    );
  });
  afterAll(() => f?.stop());

  it('stores every proxy span whole, keeps the keys filters cannot name as attributes, and counts them', async () => {
    expect(await metric(f.url, 'fluoro_documents_rejected_total', { receiver: 'udp', reason: 'InvalidAnnotation' })).toBe(0);
    const res = await waitFor(async () => {
      const r = await xray(f.url, '/Traces', { TraceIds: [traceId] });
      const segments = (r.body['Traces'] as Json[])[0]?.['Segments'] as Json[] | undefined;
      return segments && segments.filter((s) => !JSON.parse(s['Document'])['inferred']).length >= 5 ? segments : null;
    }, 'the trace');
    const byId = new Map(res.map((s) => [s['Id'], JSON.parse(s['Document'])]));
    expect(byId.get(P1)).toMatchObject({ annotations: { 'guid:x-request-id': requestId }, aws: { app_mesh: { mesh_name: 'shop' } } });
    expect(byId.get(P1)['subsegments'].map((s: Json) => s['id'])).toEqual([C1]);
    // 3 proxy segments and the child span carry it: 4 annotations kept, not indexed.
    expect(await metric(f.url, 'fluoro_annotations_unindexed_total', { receiver: 'udp' })).toBe(4);

    // The request ID finds the trace, as an attribute (docs/filter-expressions.md).
    const found = await xray(f.url, '/TraceSummaries', {
      StartTime: now - 60,
      EndTime: now + 60,
      FilterExpression: `attribute[guid:x-request-id] = "${requestId}" AND annotation[upstream_cluster.name] = "cds_egress_shop_catalog-vn_http_8080"`,
    });
    expect(found.status).toBe(200);
    expect((found.body['TraceSummaries'] as Json[]).map((t) => t['Id'])).toEqual([traceId]);
  });

  it('draws one chain, client → proxy → app → proxy → proxy → app, entered at the ingress proxy', async () => {
    const window = { StartTime: now - 60, EndTime: now + 60 };
    const graph = await xray(f.url, '/ServiceGraph', window);
    const services = graph.body['Services'] as Json[];
    const byRef = new Map(services.map((s) => [s['ReferenceId'], s]));
    const label = (s: Json) => `${s['Name']}|${s['Type']}`;
    const edges = services.flatMap((s) =>
      ((s['Edges'] ?? []) as Json[]).map((e) => `${label(s)} → ${label(byRef.get(e['ReferenceId'])!)}`),
    );
    expect(edges.sort()).toEqual(
      [
        'shop/frontend|client → shop/frontend|AWS::AppMesh::Proxy',
        'shop/frontend|AWS::AppMesh::Proxy → frontend|service',
        'frontend|service → shop/frontend|AWS::AppMesh::Proxy',
        'shop/frontend|AWS::AppMesh::Proxy → shop/catalog|AWS::AppMesh::Proxy',
        'shop/catalog|AWS::AppMesh::Proxy → catalog|service',
      ].sort(),
    );
    expect(services.filter((s) => s['Root']).map(label)).toEqual(['shop/frontend|AWS::AppMesh::Proxy']);

    const summaries = await xray(f.url, '/TraceSummaries', window);
    const summary = (summaries.body['TraceSummaries'] as Json[])[0]!;
    expect(summary).toMatchObject({ Id: traceId, EntryPoint: { Name: 'shop/frontend', Type: 'AWS::AppMesh::Proxy' } });
    expect(summary['Annotations']).toHaveProperty('direction');
    expect(summary['Annotations']).not.toHaveProperty('guid:x-request-id');
  });
});
