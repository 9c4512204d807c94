export * from './render';
export * from './write';
export * from './yaml';
