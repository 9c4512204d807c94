export * from './job';
export * from './engine';
export * from './verify';
