import { zoneFromParams, zoneParam, type Zone } from '../time/format';
import { setParams, useLocation } from './router';

/** The zone times are shown in (`tz` in the URL), and a way to change it. */
export function useZone(): [Zone, (zone: Zone) => void] {
  const { params } = useLocation();
  // A display choice, not a step: it replaces the history entry instead of adding one.
  return [zoneFromParams(params), (zone) => setParams(zoneParam(zone), { replace: true })];
}
