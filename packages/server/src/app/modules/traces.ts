import { TraceQueries } from '../../signals/traces/query.js';
import { TracePipeline } from '../../signals/traces/trace-pipeline.js';
import { defineModule } from '../module.js';

/** The trace signal's ingest: receivers hand it spans; on stop it writes everything queued. */
export const tracePipelineModule = defineModule({
  name: 'trace-pipeline',
  needs: ['store'],
  provides: ['pipeline'],
  async start({ store }, { config, log, metrics }) {
    const pipeline = new TracePipeline(store, config.ingest, log, metrics);
    await pipeline.start();
    return { provides: { pipeline }, stop: { drain: () => pipeline.drain() } };
  },
});

/** The trace signal's read side, which the APIs query. */
export const traceQueriesModule = defineModule({
  name: 'trace-queries',
  needs: ['store'],
  provides: ['traces'],
  async start({ store }) {
    return { provides: { traces: new TraceQueries(store) } };
  },
});
