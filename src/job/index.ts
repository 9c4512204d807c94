export * from './job';
export * from './engine';
