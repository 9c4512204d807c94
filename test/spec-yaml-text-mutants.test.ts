/**
 * yamlText (src/spec/yaml-text.ts), the survivors of its mutation run: the cases where the fast
 * writer must still give what `yaml`'s stringify gives (lineWidth 0, no aliases, keys sorted by code
 * unit), or hand the document to yaml. Expected texts are yaml 2.9.1's own output for these values:
 * the core schema writes NaN and infinities as `.nan` / `.inf` (yaml/dist/schema/core/float.js:10),
 * an undefined sequence item as `null`, a Map as a mapping, a Date as its ISO text, and
 * stringify(undefined) returns undefined (yaml/dist/public-api.js:95).
 */
import { yamlText } from '../src/internal';

describe('yamlText writes what yaml.stringify writes', () => {
  it('an undefined sequence item is written null (yaml writes `- null`), at the top and nested', () => {
    expect(yamlText([undefined, 'a'])).toBe('- null\n- a\n');
    expect(yamlText({ a: [undefined] })).toBe('a:\n  - null\n');
  });

  it('NaN and the infinities are written .nan / .inf, as the YAML core schema reads them (yaml core/float.js)', () => {
    expect(yamlText({ a: Number.NaN })).toBe('a: .nan\n');
    expect(yamlText([Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])).toBe('- .inf\n- -.inf\n');
  });

  it('a document that is not a plain object is written by yaml: a Map as a sorted mapping, a Date as its ISO text', () => {
    expect(yamlText(new Map<string, unknown>([['b', 1], ['a', { x: 1 }]]))).toBe('a:\n  x: 1\nb: 1\n');
    expect(yamlText(new Map<string, unknown>([['b', 1], ['a', { x: 1 }]]), { sortKeys: false })).toBe('b: 1\na:\n  x: 1\n');
    expect(yamlText(new Date(0))).toBe('1970-01-01T00:00:00.000Z\n');
  });

  it('keys whose text ties (1 and "1" in a Map) keep their insertion order, as a stable sort with yaml`s tie 0 does', () => {
    // yaml's own key order (yaml/dist/schema/Schema.js:9) returns 0 for equal keys; Array#sort is stable.
    expect(yamlText(new Map<unknown, string>([[1, 'number'], ['1', 'string']]))).toBe('1: number\n"1": string\n');
    expect(yamlText(new Map<unknown, string>([['1', 'string'], [1, 'number']]))).toBe('"1": string\n1: number\n');
  });

  it('undefined as the document gives no text, as yaml.stringify(undefined) (yaml public-api.js:95)', () => {
    expect(yamlText(undefined)).toBeUndefined();
    expect(yamlText(null)).toBe('null\n');
    expect(yamlText('a: b')).toBe('"a: b"\n');
  });

  it('an error the data raises reaches the caller once: it is not swallowed and retried through yaml', () => {
    let reads = 0;
    const doc = {
      get image(): string {
        reads += 1;
        if (reads === 1) throw new Error('registry lookup failed');
        return 'x';
      },
    };
    expect(() => yamlText(doc)).toThrow('registry lookup failed');
    expect(reads).toBe(1);
  });
});
