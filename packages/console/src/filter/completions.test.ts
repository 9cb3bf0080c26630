import { describe, expect, it } from 'vitest';
import { applyCompletion, complete, type CompletionData } from './completions';

const data: CompletionData = {
  services: [
    { name: 'cart', type: 'AWS::ECS::Container' },
    { name: 'catalog', type: 'AWS::ECS::Container' },
    { name: 'DynamoDB', type: 'AWS::DynamoDB::Table' },
  ],
  annotationKeys: [
    { key: 'tier', type: 'string' },
    { key: 'aws.local.service', type: 'string' },
  ],
  users: ['alice', 'bob'],
};

const labels = (text: string, caret = text.length) => complete(text, caret, data).items.map((i) => i.label);

describe('autocomplete', () => {
  it('offers keywords and functions at the top level', () => {
    const l = labels('res');
    expect(l).toContain('responsetime');
    expect(l).not.toContain('root');
    expect(labels('serv')).toContain('service("…")');
  });

  it('offers only the keywords of the block the caret is in', () => {
    expect(labels('service("cart") { ro')).toEqual(['root']);
    expect(labels('edge("a", "b") { ro')).toEqual([]);
    expect(labels('rootcause.fault.service { la')).toEqual(['last']);
    // After the block closes, back to the top level.
    expect(labels('service("cart") { fault } AND ro')).toEqual([
      'rootcause.fault.service { … }',
      'rootcause.error.service { … }',
      'rootcause.responsetime.service { … }',
      'rootcause.fault.exception { … }',
    ]);
  });

  it('offers service names inside service(), edge() and id(name: …)', () => {
    expect(labels('service(')).toEqual(['cart', 'catalog', 'DynamoDB', 'id(name: …, type: …)']);
    expect(labels('service("ca')).toEqual(['cart', 'catalog']);
    expect(labels('edge("cart", ')).toEqual(['cart', 'catalog', 'DynamoDB', 'id(name: …, type: …)']);
    expect(labels('service(id(name: ')).toEqual(['cart', 'catalog', 'DynamoDB']);
    expect(labels('service(id(type: "AWS::Dy')).toEqual(['AWS::DynamoDB::Table']);
  });

  it('offers annotation keys, in bracket form when the key needs it', () => {
    const r = complete('annotation.', 11, data);
    expect(r.items.map((i) => i.insert)).toEqual(['annotation.tier', 'annotation[aws.local.service]']);
    const typed = complete('annotation.ti', 13, data);
    expect(typed.items.map((i) => i.label)).toEqual(['annotation.tier']);
    expect(applyCompletion('annotation.ti AND ok', typed, typed.items[0]!).text).toBe('annotation.tier AND ok');
  });

  it('offers operators after a keyword and values after an operator', () => {
    expect(labels('responsetime ')).toEqual(['=', '!=', '<', '<=', '>', '>=', 'AND', 'OR']);
    expect(labels('http.url ')).toContain('CONTAINS');
    expect(labels('user = ')).toEqual(['alice', 'bob']);
    expect(labels('http.method = "P')).toEqual(['POST', 'PUT', 'PATCH']);
    expect(labels('fault = ')).toEqual(['true', 'false']);
    expect(labels('fault ')).toEqual(['AND', 'OR']);
  });

  it('replaces the word being typed and places the caret', () => {
    const text = 'fault AND serv';
    const r = complete(text, text.length, data);
    const svc = r.items.find((i) => i.label === 'service("…") { … }')!;
    const out = applyCompletion(text, r, svc);
    expect(out.text).toBe('fault AND service("") { }');
    expect(out.caret).toBe('fault AND service("'.length);
  });
});
