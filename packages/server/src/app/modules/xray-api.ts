import { mountXrayApi } from '../../api/xray/routes.js';
import { SamplingRules } from '../../sampling/rules.js';
import { SamplingTargets } from '../../sampling/targets.js';
import { XrayResources } from '../../sampling/resources.js';
import { defineModule } from '../module.js';

/** The X-Ray API's ingest operations (PutTraceSegments, PutTelemetryRecords) on the main HTTP port. */
export const xrayIngestApiModule = defineModule({
  name: 'xray-ingest-api',
  needs: ['pipeline', 'documents', 'decoder'],
  contributes: ['httpRoutes'],
  async start({ pipeline, documents, decoder }, { metrics }) {
    const telemetryRecords = metrics.counter(
      'fluoro_daemon_telemetry_records_total',
      'PutTelemetryRecords records received from X-Ray daemons.',
    );
    return {
      contributes: { httpRoutes: (router) => mountXrayApi(router, { ingest: { pipeline, documents, decoder, telemetryRecords } }) },
    };
  },
});

/**
 * The X-Ray API's read operations (traces, graphs, time series, and the operations not
 * implemented yet) on the main HTTP port.
 */
export const xrayReadApiModule = defineModule({
  name: 'xray-read-api',
  needs: ['traces'],
  contributes: ['httpRoutes'],
  async start({ traces }, { config }) {
    return { contributes: { httpRoutes: (router) => mountXrayApi(router, { read: { traces, api: config.api } }) } };
  },
});

/**
 * The X-Ray sampling operations on the main HTTP port: rules kept in the store's records, and
 * the reservoir quotas handed to SDKs. The rules are read at start and kept in memory, so two
 * processes serving sampling over one store (a collector and a query node on ClickHouse, later)
 * would not see each other's rule changes until restarted.
 */
export const xraySamplingApiModule = defineModule({
  name: 'xray-sampling-api',
  needs: ['store'],
  contributes: ['httpRoutes'],
  async start({ store }, { config }) {
    const rules = await SamplingRules.load(store.records, config.sampling.maxRules);
    const resources = new XrayResources(store.records);
    const sampling = { rules, targets: new SamplingTargets(rules), resources };
    const account = { rules, resources };
    return { contributes: { httpRoutes: (router) => mountXrayApi(router, { sampling, account }) } };
  },
});
