import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  currentZone,
  formatClock,
  formatRange,
  formatTick,
  formatTime,
  fromInputValue,
  toInputValue,
  zoneFromParams,
  zoneName,
  zoneParam,
} from './format';

const NEW_YEAR = Date.UTC(2026, 0, 1) / 1000; // 2026-01-01 00:00:00 UTC
const MIDSUMMER = Date.UTC(2026, 5, 21, 12) / 1000; // 2026-06-21 12:00:00 UTC

describe('one time format, with its zone', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('writes UTC as date, time and UTC, milliseconds when asked', () => {
    expect(formatTime(NEW_YEAR, false, 'utc')).toBe('2026-01-01 00:00:00 UTC');
    expect(formatTime(NEW_YEAR + 3723.4567, true, 'utc')).toBe('2026-01-01 01:02:03.456 UTC');
    expect(formatTime(NEW_YEAR + 0.001, true, 'utc')).toBe('2026-01-01 00:00:00.001 UTC');
    expect(formatClock(NEW_YEAR + 50587, false, 'utc')).toBe('14:03:07 UTC');
  });

  it('writes another zone in its own time with its name, summer time included', () => {
    expect(formatTime(NEW_YEAR, false, 'Asia/Kolkata')).toBe('2026-01-01 05:30:00 GMT+5:30');
    // The name is the locale's (CET in en-GB, GMT+1 in en-US); the digits are always these.
    expect(formatTime(NEW_YEAR, false, 'Europe/Berlin')).toMatch(/^2026-01-01 01:00:00 (CET|GMT\+1)$/);
    expect(formatTime(MIDSUMMER, false, 'Europe/Berlin')).toMatch(/^2026-06-21 14:00:00 (CEST|GMT\+2)$/);
    expect(formatTime(NEW_YEAR, false, 'America/New_York')).toMatch(/^2025-12-31 19:00:00 (EST|GMT-5)$/);
    expect(zoneName('utc')).toBe('UTC');
    expect(zoneName('local')).not.toBe('');
  });

  it('writes a range with the zone once, and the second date only across midnight', () => {
    expect(formatRange(NEW_YEAR + 14 * 3600, NEW_YEAR + 15 * 3600, 'utc')).toBe('2026-01-01 14:00:00 – 15:00:00 UTC');
    expect(formatRange(NEW_YEAR - 2 * 3600, NEW_YEAR + 2 * 3600, 'utc')).toBe('2025-12-31 22:00:00 – 2026-01-01 02:00:00 UTC');
    // 2026-03-29 02:00 CET the clocks go forward: both names are given.
    const spring = Date.UTC(2026, 2, 29) / 1000;
    expect(formatRange(spring, spring + 6 * 3600, 'Europe/Berlin')).toMatch(/^2026-03-29 01:00:00 (CET|GMT\+1) – 08:00:00 (CEST|GMT\+2)$/);
  });

  it('ticks in minutes, or seconds when they are closer', () => {
    expect(formatTick(NEW_YEAR + 50580, 300, 'utc')).toBe('14:03');
    expect(formatTick(NEW_YEAR + 50587, 10, 'utc')).toBe('14:03:07');
  });

  it('reads and writes datetime-local values in either zone', () => {
    expect(toInputValue(NEW_YEAR + 50587, 'utc')).toBe('2026-01-01T14:03:07');
    expect(fromInputValue('2026-01-01T14:03:07', 'utc')).toBe(NEW_YEAR + 50587);
    expect(fromInputValue('2026-01-01T14:03', 'utc')).toBe(NEW_YEAR + 50580);
    const t = NEW_YEAR + 12345;
    expect(fromInputValue(toInputValue(t, 'local'), 'local')).toBe(t);
    expect(fromInputValue(toInputValue(t, 'local'), 'local')! - fromInputValue(toInputValue(t, 'utc'), 'utc')!).toBe(0);
    expect(fromInputValue('', 'utc')).toBeNull();
    expect(fromInputValue('yesterday', 'local')).toBeNull();
  });

  it('takes the zone from the URL: tz=local, else UTC', () => {
    expect(zoneFromParams(new URLSearchParams('tz=local'))).toBe('local');
    expect(zoneFromParams(new URLSearchParams('tz=utc'))).toBe('utc');
    expect(zoneFromParams(new URLSearchParams('tz=mars'))).toBe('utc');
    expect(zoneFromParams(new URLSearchParams(''))).toBe('utc');
    expect(zoneParam('local')).toEqual({ tz: 'local' });
    expect(zoneParam('utc')).toEqual({ tz: null });

    vi.stubGlobal('location', { search: '?range=1h&tz=local' });
    expect(currentZone()).toBe('local');
    vi.stubGlobal('location', { search: '?range=1h' });
    expect(currentZone()).toBe('utc');
    expect(formatTime(NEW_YEAR)).toBe('2026-01-01 00:00:00 UTC');
  });
});
