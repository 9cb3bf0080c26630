import { RootCauseAnalyzer } from '../../derived/root-causes/analyzer.js';
import { defineModule } from '../module.js';

/** Traces filed this long before a start may have missed their analysis (a crash): they are analysed again. */
const REANALYSE_S = 60;

/**
 * Root causes of the traces the pipeline commits. On stop, after the pipeline has drained, the
 * traces still waiting are analysed and their results written; then the thread ends.
 */
export const rootCausesModule = defineModule({
  name: 'root-causes',
  needs: ['store', 'pipeline'],
  async start({ store, pipeline }, { config, log, metrics }) {
    const analyzer = new RootCauseAnalyzer(store, { quietMs: config.analysis.quietMs }, log, metrics);
    const unsubscribe = pipeline.onCommitted((rows) => analyzer.observe(rows));
    try {
      await analyzer.start(() => pipeline.busy(), Date.now() / 1000 - REANALYSE_S);
    } catch (err) {
      unsubscribe();
      await analyzer.close();
      throw err;
    }
    return { stop: { flush: () => analyzer.flush(), close: () => analyzer.close() } };
  },
});
