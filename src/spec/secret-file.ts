/** The one shape every Secret reaches a container in: a volume holding one key as one file. */
import type { VolumeSource } from './pod';

/** A Secret volume with `key` projected as `file`, readable as `defaultMode` (e.g. 0o400). */
export function secretFile(secretName: string, key: string, file: string, defaultMode: number): VolumeSource {
  return { secret: { secretName, items: [{ key, path: file }], defaultMode } };
}
