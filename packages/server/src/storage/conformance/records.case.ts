import { describe, expect, it } from 'vitest';
import type { ConformanceTarget } from './harness.js';

/** Named records (sampling rules…): created, replaced, deleted, and still there after a reopen. */
export function recordCases(target: ConformanceTarget): void {
  describe(`records: ${target.name}`, () => {
    it('creates, replaces, lists by kind, deletes, and keeps them across a reopen', async () => {
      const first = await target.open();
      await first.records.put('sampling-rule', 'b', '{"v":1}');
      await first.records.put('sampling-rule', 'a', '{"v":1}');
      await first.records.put('sampling-rule', 'a', '{"v":2}');
      await first.records.put('group', 'a', '{"g":true}');
      expect(await first.records.list('sampling-rule')).toEqual([
        { name: 'a', doc: '{"v":2}' },
        { name: 'b', doc: '{"v":1}' },
      ]);
      expect(await first.records.delete('sampling-rule', 'b')).toBe(true);
      expect(await first.records.delete('sampling-rule', 'b')).toBe(false);
      // A durable store keeps them across a reopen; a memory store is read as it is.
      if (target.reopen) await first.close();
      const second = target.reopen ? await target.reopen() : first;
      try {
        expect(await second.records.list('sampling-rule')).toEqual([{ name: 'a', doc: '{"v":2}' }]);
        expect(await second.records.list('group')).toEqual([{ name: 'a', doc: '{"g":true}' }]);
        expect(await second.records.list('nothing')).toEqual([]);
      } finally {
        await second.close();
      }
    });
  });
}
