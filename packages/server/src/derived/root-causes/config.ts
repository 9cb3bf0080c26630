import { defineSettings, setting } from '../../config/settings.js';

/** When a trace's root causes are worked out. */
export const ROOT_CAUSE_SETTINGS = defineSettings({
  analysis: {
    quietMs: setting.int({
      default: 2000,
      min: 10,
      max: 600_000,
      description:
        'Root causes are worked out once a trace has received no span for this long (rootcause.* filters see a trace after that).',
    }),
  },
});
