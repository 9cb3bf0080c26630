import { mountAbout } from '../../api/native/about.js';
import { mountFilterApi } from '../../api/native/filter.js';
import { mountTracesApi } from '../../api/native/traces.js';
import { mountSession } from '../../api/native/session.js';
import { VERSION } from '../../version.js';
import { defineModule } from '../module.js';

/** Fluoro's own API under `/api/v1` (filter analysis, trace groups and statistics, about) on the main HTTP port. */
export const nativeApiModule = defineModule({
  name: 'native-api',
  needs: ['traces'],
  contributes: ['httpRoutes'],
  async start({ traces }, { config, addresses, keys, metrics }) {
    const signIns = metrics.counter('fluoro_console_sign_ins_total', 'Console sign-ins, by result (ok, wrong, locked, refused).');
    return {
      contributes: {
        httpRoutes: (router) => {
          mountFilterApi(router);
          mountTracesApi(router, traces, config.api.maxQueryWindowHours);
          mountAbout(router, VERSION, () => addresses.listeners());
          mountSession(router, { keys, secure: config.tls.certFile !== '', signIns });
        },
      },
    };
  },
});
