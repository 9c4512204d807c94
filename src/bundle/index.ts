export * from './render';
export * from './write';
export * from './yaml';
export * from './content-hash';
export * from './lock';
export * from './synth';
export * from './construct';
