import { describe, expect, it } from 'vitest';
import { openMemoryStore } from '../storage/memory/backend.js';
import { SamplingRules } from './rules.js';
import { SamplingTargets, type StatisticsDocument } from './targets.js';

/** How a client's reading of timestamps is told from what it reports (`TimeUnit`). */
describe('SamplingTargets: the unit of the answer’s timestamps', () => {
  const setup = async () => {
    let now = 1_800_000_000;
    const clock = () => now;
    const rules = await SamplingRules.load((await openMemoryStore()).records, 100, clock);
    const targets = new SamplingTargets(rules, clock);
    const report = (clientId: string, borrowed: number, advance = 10) => {
      now += advance;
      const docs: StatisticsDocument[] = [
        { RuleName: 'Default', ClientID: clientId, Timestamp: now, RequestCount: 100, SampledCount: 5, BorrowCount: borrowed },
      ];
      return targets.report(docs).unit;
    };
    return { report };
  };

  it('answers in seconds, as X-Ray, to a client that borrows only without a fresh quota', async () => {
    const { report } = await setup();
    // The first report: no quota held yet, borrowing is what an SDK does.
    expect(report('a'.repeat(24), 10)).toBe('seconds');
    // Once, in the moment between its report and the answer: still a right reading.
    expect(report('a'.repeat(24), 1)).toBe('seconds');
    expect(report('a'.repeat(24), 0)).toBe('seconds');
    // A quota that had expired (the report came late): borrowing is right again.
    expect(report('a'.repeat(24), 10, 20)).toBe('seconds');
  });

  it('answers in milliseconds to a client that keeps borrowing while it holds a fresh quota', async () => {
    const { report } = await setup();
    expect(report('b'.repeat(24), 10)).toBe('seconds');
    expect(report('b'.repeat(24), 10)).toBe('milliseconds');
    expect(report('b'.repeat(24), 0)).toBe('milliseconds');
    // Another client is not affected.
    expect(report('c'.repeat(24), 10)).toBe('seconds');
  });

  it('goes back to seconds for good when milliseconds did not help either', async () => {
    const { report } = await setup();
    report('d'.repeat(24), 10);
    expect(report('d'.repeat(24), 10)).toBe('milliseconds');
    expect(report('d'.repeat(24), 10)).toBe('seconds');
    expect(report('d'.repeat(24), 10)).toBe('seconds');
  });
});
