export * from './task';
export * from './pipeline';
export * from './catalog';
export * from './scripts';
export * from './samples';
export * from './docs';
export * from './engine';
