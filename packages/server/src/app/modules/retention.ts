import { Retention } from '../../signals/traces/retention.js';
import { defineModule } from '../module.js';

/** Retention by age and by size over the store (`retention.*`); its rounds end before the store closes. */
export const retentionModule = defineModule({
  name: 'retention',
  needs: ['store'],
  async start({ store }, { config, log, metrics }) {
    const retention = new Retention(store, config.retention, log, metrics);
    retention.start();
    return { stop: { input: () => retention.stop() } };
  },
});
