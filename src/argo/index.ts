export * from './template';
export * from './catalog';
export * from './scripts';
export * from './samples';
export * from './docs';
export * from './engine';
export * from './rbac';
export * from './hub';
