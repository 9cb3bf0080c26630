import { defineSettings, setting } from '../config/settings.js';

/** Centralized sampling rules. */
export const SAMPLING_SETTINGS = defineSettings({
  sampling: {
    maxRules: setting.int({ default: 25, min: 0, max: 10_000, description: 'Most sampling rules besides Default (X-Ray allows 25).' }),
  },
});
