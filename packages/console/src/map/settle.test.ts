import { describe, expect, it } from 'vitest';
import { SETTLE_SECONDS, settledWindow } from './settle';

describe('the settled window of the map', () => {
  const minute = 1_800_000_000 - (1_800_000_000 % 60); // a whole minute

  it('ends at the last whole minute that ended 30 s ago or more, a relative range keeping its length', () => {
    expect(SETTLE_SECONDS).toBe(30);
    // 45 s into a minute: the minute before ended 45 s ago, it is in.
    const now = minute + 45;
    expect(settledWindow({ start: now + 1 - 900, end: now + 1 }, true, now)).toEqual({ start: minute - 900, end: minute, heldBack: 46 });
    // 20 s into a minute: the minute before ended only 20 s ago, it waits.
    const early = minute + 20;
    expect(settledWindow({ start: early + 1 - 300, end: early + 1 }, true, early)).toEqual({
      start: minute - 360,
      end: minute - 60,
      heldBack: 81,
    });
    // Exactly 30 s after: in.
    expect(settledWindow({ start: 0, end: minute + 31 }, true, minute + 30).end).toBe(minute);
  });

  it('cuts a custom range only where it is not settled yet', () => {
    const now = minute + 45;
    expect(settledWindow({ start: minute - 3600, end: minute - 600 }, false, now)).toEqual({
      start: minute - 3600,
      end: minute - 600,
      heldBack: 0,
    });
    expect(settledWindow({ start: minute - 3600, end: now + 600 }, false, now)).toEqual({
      start: minute - 3600,
      end: minute,
      heldBack: 645,
    });
    // Nothing of it settled: empty.
    const none = settledWindow({ start: minute + 10, end: minute + 50 }, false, now);
    expect(none.end).toBe(none.start);
  });
});
