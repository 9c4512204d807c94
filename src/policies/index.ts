export * from './admission';
export * from './engine';
