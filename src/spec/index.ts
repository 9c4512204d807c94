export * from './defaults';
export * from './schema';
export * from './template';
export * from './errors';
export * from './argv';
export * from './pod';
export * from './resolve';
export * from './config';
export { RULES } from './rules';
