import { mountLanding } from '../../api/console/landing.js';
import { mountConsole } from '../../api/console/static.js';
import { defineModule } from '../module.js';

/** The web console at `/` on the main HTTP port, or a landing page when the console is not built. */
export const consoleModule = defineModule({
  name: 'console',
  contributes: ['httpRoutes'],
  async start(_given, { addresses }) {
    return {
      contributes: {
        httpRoutes: (router) => {
          if (!mountConsole(router)) mountLanding(router, () => ({ udp: addresses.get('udp') }));
        },
      },
    };
  },
});
