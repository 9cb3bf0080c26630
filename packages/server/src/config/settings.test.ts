import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ListenAddress } from './address.js';
import { composeSettings, defineSettings, materialise, setting, settingsOf, type ConfigOf, type Setting } from './settings.js';

const parse = <T>(s: Setting<T>, raw: unknown): T | string => {
  const p = s.parse(raw);
  return 'error' in p ? `error: ${p.error}` : p.value;
};

describe('setting constructors', () => {
  it('type each setting with its value', () => {
    expectTypeOf(setting.string({ default: 'a', description: '' })).toEqualTypeOf<Setting<string>>();
    expectTypeOf(setting.int({ default: 1, min: 0, max: 2, description: '' })).toEqualTypeOf<Setting<number>>();
    expectTypeOf(setting.bytes({ default: 1024, min: 1, description: '' })).toEqualTypeOf<Setting<number>>();
    expectTypeOf(setting.address({ default: '0', description: '' })).toEqualTypeOf<Setting<ListenAddress | null>>();
    expectTypeOf(setting.list({ description: '' })).toEqualTypeOf<Setting<readonly string[]>>();
    expectTypeOf(setting.bool({ default: true, description: '' })).toEqualTypeOf<Setting<boolean>>();
    expectTypeOf(setting.enum({ values: ['a', 'b'], default: 'a', description: '' })).toEqualTypeOf<Setting<'a' | 'b'>>();
    // @ts-expect-error the default of an enum must be one of its values
    setting.enum({ values: ['a', 'b'], default: 'c', description: '' });
  });

  it('string: text, empty only when allowed', () => {
    const s = setting.string({ default: 'x', description: '' });
    expect(s.format).toBe('text');
    expect(parse(s, 'abc')).toBe('abc');
    expect(parse(s, 12)).toBe('12');
    expect(parse(s, ' ')).toBe('error: must not be empty');
    expect(parse(s, {})).toBe('error: must be a string');
    expect(parse(setting.string({ default: '', description: '', allowEmpty: true }), '')).toBe('');
    expect(s.show('')).toBe('(empty)');
  });

  it('int: whole numbers within bounds', () => {
    const s = setting.int({ default: 5, min: 1, max: 10, description: '' });
    expect(s.format).toBe('integer 1–10');
    expect(parse(s, '7')).toBe(7);
    expect(parse(s, 3)).toBe(3);
    expect(parse(s, '1.5')).toBe('error: must be an integer, not "1.5"');
    expect(parse(s, 11)).toBe('error: must be between 1 and 10, not 11');
    expect(s.show(5)).toBe('5');
  });

  it('bytes: sizes with units', () => {
    const s = setting.bytes({ default: 8 * 1024 ** 2, min: 64 * 1024, description: '' });
    expect(s.format).toBe('bytes (e.g. 512KB, 64MB), at least 64KB');
    expect(parse(s, '512KB')).toBe(512 * 1024);
    expect(parse(s, '1.5 mb')).toBe(1.5 * 1024 ** 2);
    expect(parse(s, 65536)).toBe(65536);
    expect(parse(s, '10XB')).toBe('error: must be a size such as 65536, 512KB or 64MB, not "10XB"');
    expect(parse(s, '1KB')).toBe('error: must be at least 64KB, not 1KB');
    expect(s.show(s.default)).toBe('8MB');
    expect(s.show(1000)).toBe('1000');
  });

  it('duration: a number with a unit, or 0', () => {
    const s = setting.duration({ default: 30 * 86_400, description: '' });
    expect(parse(s, '12h')).toBe(43_200);
    expect(parse(s, '90m')).toBe(5400);
    expect(parse(s, '1.5d')).toBe(129_600);
    expect(parse(s, '2w')).toBe(1_209_600);
    expect(parse(s, '45s')).toBe(45);
    expect(parse(s, 0)).toBe(0);
    // A bare number could mean seconds or days: refused.
    expect(parse(s, '3600')).toBe('error: must be a duration such as 90m, 12h or 30d (or 0 for none), not "3600"');
    expect(parse(s, '3 months')).toBe('error: must be a duration such as 90m, 12h or 30d (or 0 for none), not "3 months"');
    expect(s.show(s.default)).toBe('30d');
    expect(s.show(5400)).toBe('90m');
    expect(s.show(0)).toBe('0');
    expect(s.show(61)).toBe('61s');
  });

  it('address: host:port, or off', () => {
    const s = setting.address({ default: '127.0.0.1:2000', description: '' });
    expect(s.default).toEqual({ host: '127.0.0.1', port: 2000 });
    expect(parse(s, 'off')).toBeNull();
    expect(parse(s, 0)).toBeNull();
    expect(parse(s, {})).toBe('error: must be an address such as 127.0.0.1:2000');
    expect(s.show(null)).toBe('off');
    expect(s.show({ host: '::1', port: 1 })).toBe('[::1]:1');
    expect(() => setting.address({ default: 'nowhere', description: '' })).toThrow('bad default address');
  });

  it('list: a file list or comma-separated text', () => {
    const s = setting.list({ description: '' });
    expect(s.default).toEqual([]);
    expect(parse(s, ['a', ' b ', ''])).toEqual(['a', 'b']);
    expect(parse(s, 'a, b,,c')).toEqual(['a', 'b', 'c']);
    expect(parse(s, { a: 1 })).toBe('error: must be a comma-separated list, not {"a":1}');
    expect(s.show([])).toBe('(none)');
    expect(s.show(['a', 'b'])).toBe('a,b');
  });

  it('bool: true/false, 1/0, yes/no', () => {
    const s = setting.bool({ default: false, description: '' });
    expect(s.format).toBe('true | false');
    expect([true, 'TRUE', '1', 'yes', false, 'False', 0, 'no'].map((raw) => parse(s, raw))).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
    expect(parse(s, 'maybe')).toBe('error: must be true or false, not "maybe"');
  });

  it('enum: one of its values, exactly', () => {
    const s = setting.enum({ values: ['text', 'json'], default: 'text', description: '' });
    expect(s.format).toBe('text | json');
    expect(parse(s, 'json')).toBe('json');
    expect(parse(s, 'JSON')).toBe('error: must be one of text, json, not "JSON"');
  });
});

const ingestQueue = defineSettings({
  dataDir: setting.string({ default: './data', description: 'where' }),
  ingest: { queueMaxSpans: setting.int({ default: 100, min: 1, max: 1000, description: 'queue' }) },
});
const ingestUdp = defineSettings({
  udp: setting.address({ default: '127.0.0.1:2000', description: 'udp' }),
  ingest: { udpReceiveBufferBytes: setting.bytes({ default: 1024 ** 2, min: 1024, description: 'buffer' }) },
  log: { format: setting.enum({ values: ['text', 'json'], default: 'json', description: 'format' }) },
});

describe('defineSettings', () => {
  it('infers the configuration type from the tree, read-only', () => {
    expectTypeOf<ConfigOf<typeof ingestQueue>>().toEqualTypeOf<{
      readonly dataDir: string;
      readonly ingest: { readonly queueMaxSpans: number };
    }>();
    expectTypeOf<ConfigOf<typeof ingestUdp>['log']['format']>().toEqualTypeOf<'text' | 'json'>();
    expectTypeOf<ConfigOf<typeof ingestUdp>['udp']>().toEqualTypeOf<ListenAddress | null>();
  });

  it('lists the settings with their dotted keys, in declaration order', () => {
    expect(settingsOf(ingestUdp).map((s) => s.key)).toEqual(['udp', 'ingest.udpReceiveBufferBytes', 'log.format']);
  });

  it('refuses keys that cannot become variables and flags, and empty groups', () => {
    const s = setting.bool({ default: false, description: '' });
    expect(() => defineSettings({ ingest: { 'queue.max': s } })).toThrow(
      'config key "ingest.queue.max": each part must be a camelCase word',
    );
    expect(() => defineSettings({ Ingest: s })).toThrow('config key "Ingest"');
    expect(() => defineSettings({ ingest: {} })).toThrow('config group "ingest" has no settings');
  });
});

describe('composeSettings', () => {
  const schema = composeSettings(ingestQueue, ingestUdp);

  it('merges groups that several trees contribute to, its type the intersection', () => {
    expectTypeOf(schema).toEqualTypeOf<typeof ingestQueue & typeof ingestUdp>();
    expectTypeOf<ConfigOf<typeof schema>>().toEqualTypeOf<{
      readonly dataDir: string;
      readonly udp: ListenAddress | null;
      readonly ingest: { readonly queueMaxSpans: number; readonly udpReceiveBufferBytes: number };
      readonly log: { readonly format: 'text' | 'json' };
    }>();
    expect(settingsOf(schema).map((s) => s.key)).toEqual([
      'dataDir',
      'ingest.queueMaxSpans',
      'ingest.udpReceiveBufferBytes',
      'udp',
      'log.format',
    ]);
  });

  it('leaves the trees it composes untouched', () => {
    expect(Object.keys(ingestQueue.ingest)).toEqual(['queueMaxSpans']);
  });

  it('refuses a key declared twice, naming it', () => {
    const again = defineSettings({ ingest: { queueMaxSpans: setting.int({ default: 1, min: 1, max: 2, description: '' }) } });
    expect(() => composeSettings(ingestQueue, ingestUdp, again)).toThrow('config key "ingest.queueMaxSpans" is declared twice');
  });

  it('refuses a key that is a setting in one tree and a group in another', () => {
    const s = setting.bool({ default: false, description: '' });
    expect(() => composeSettings(ingestQueue, defineSettings({ dataDir: { sub: s } }))).toThrow(
      'config key "dataDir" is declared both as a setting and as a group',
    );
    expect(() => composeSettings(ingestQueue, defineSettings({ ingest: s }))).toThrow(
      'config key "ingest" is declared both as a setting and as a group',
    );
  });
});

describe('materialise', () => {
  const schema = composeSettings(ingestQueue, ingestUdp);

  it('builds the defaults at their paths', () => {
    expect(materialise(schema)).toEqual({
      dataDir: './data',
      ingest: { queueMaxSpans: 100, udpReceiveBufferBytes: 1024 ** 2 },
      udp: { host: '127.0.0.1', port: 2000 },
      log: { format: 'json' },
    });
  });

  it('takes values by dotted key over the defaults', () => {
    const config = materialise(
      schema,
      new Map<string, unknown>([
        ['ingest.queueMaxSpans', 7],
        ['udp', null],
      ]),
    );
    expectTypeOf(config).toEqualTypeOf<ConfigOf<typeof schema>>();
    expect(config.ingest).toEqual({ queueMaxSpans: 7, udpReceiveBufferBytes: 1024 ** 2 });
    expect(config.udp).toBeNull();
  });
});
