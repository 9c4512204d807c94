/**
 * src/spec/warnings.ts and src/spec/walk.ts, with literal expectations, for the cases the
 * mutation run left untested. Upstream facts: kimia v1.0.25 src/internal/build/builder.go warns that
 * a reproducible build with attestations has a varying index digest (:1093), and its
 * signImageWithCosign runs one `cosign sign repo@digest` per --destination.
 */
import { parseBuildSpec, type BuildSpecInput } from '../src/spec';
import { specWarnings } from '../src/spec/warnings';
import { eachKey, eachString } from '../src/spec/walk';
import { BASE } from './helpers';

const REPRODUCIBLE = 'warning: with attestations the image index digest varies between runs (the attestation payloads carry timestamps and IDs, as kimia itself warns), so the digest that is pushed and signed is not reproducible; only the platform manifest is. Set attestation: off for a stable index digest';
const SIGNING = { key: { secretName: 'cosign-keys', key: 'cosign.key' }, password: { secretName: 'cosign-keys', key: 'password' } };
const warnings = (over: Partial<BuildSpecInput>) => specWarnings(parseBuildSpec({ ...BASE, ...over } as BuildSpecInput));

describe('reproducible builds with attestations (builder.go:1093)', () => {
  it('attestation max or an attest list: the index digest warning at reproducible', () => {
    expect(warnings({ reproducible: { enabled: true, timestamp: '1609459200' }, attestation: 'max' } as Partial<BuildSpecInput>)).toEqual([{ path: ['reproducible'], message: REPRODUCIBLE }]);
    expect(warnings({ reproducible: { enabled: true, timestamp: '1609459200' }, attestation: { attest: [{ type: 'sbom' }] } } as Partial<BuildSpecInput>)).toEqual([{ path: ['reproducible'], message: REPRODUCIBLE }]);
  });
  it('attestation off, no attestation, or not reproducible: no warning', () => {
    expect(warnings({ reproducible: { enabled: true, timestamp: '1609459200' }, attestation: 'off' } as Partial<BuildSpecInput>)).toEqual([]);
    expect(warnings({ reproducible: { enabled: true, timestamp: '1609459200' } } as Partial<BuildSpecInput>)).toEqual([]);
    expect(warnings({ attestation: 'max' } as Partial<BuildSpecInput>)).toEqual([]);
  });
});

describe('kimia --sign signs once per destination (builder.go signImageWithCosign)', () => {
  it('two tags of one repository, signed in the builder: that repository gets 2 identical signatures', () => {
    expect(warnings({ destinations: ['registry.io/myapp:v1', 'registry.io/myapp:latest', 'registry.io/other:v1'], attestation: 'min', signing: { ...SIGNING, in: 'builder' } } as Partial<BuildSpecInput>)).toEqual([
      { path: ['destinations'], message: 'warning: kimia\'s --sign signs repo@digest once per destination, so registry.io/myapp gets 2 identical signatures' },
    ]);
  });
  it('two repositories signed twice each: both named, in destination order', () => {
    expect(warnings({ destinations: ['registry.io/b:v1', 'registry.io/a:v1', 'registry.io/b:v2', 'registry.io/a:v2'], attestation: 'min', signing: { ...SIGNING, in: 'builder' } } as Partial<BuildSpecInput>)).toEqual([
      { path: ['destinations'], message: 'warning: kimia\'s --sign signs repo@digest once per destination, so registry.io/b gets 2 identical signatures, registry.io/a gets 2 identical signatures' },
    ]);
  });
  it('one destination per repository, or signing isolated (one signature per repository): no warning', () => {
    expect(warnings({ destinations: ['registry.io/myapp:v1', 'registry.io/other:v1'], attestation: 'min', signing: { ...SIGNING, in: 'builder' } } as Partial<BuildSpecInput>)).toEqual([]);
    expect(warnings({ destinations: ['registry.io/myapp:v1', 'registry.io/myapp:v2'], attestation: 'min', signing: { ...SIGNING, in: 'isolated' } } as Partial<BuildSpecInput>)).toEqual([]);
    expect(warnings({ destinations: ['registry.io/myapp:v1', 'registry.io/myapp:v2'] })).toEqual([]);
  });
});

describe('walking a JSON value', () => {
  it('eachString visits every string with its path, past nulls and numbers, and leaves the path as it found it', () => {
    const seen: string[] = [];
    eachString({ a: null, b: [1, 'x', { c: 'y' }], d: 'z' }, ['root'], (s, at) => seen.push(`${at.join('.')}=${s}`));
    expect(seen).toEqual(['root.b.1=x', 'root.b.2.c=y', 'root.d=z']);
  });
  it('eachKey visits every key of every object with the path ending in it, past nulls', () => {
    const seen: string[] = [];
    eachKey({ a: null, b: [{ c: 1 }, null] }, [], (k, at) => seen.push(`${at.join('.')}:${k}`));
    expect(seen).toEqual(['a:a', 'b:b', 'b.0.c:c']);
  });
});
