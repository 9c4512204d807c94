/** Writing output kimia-bundles owns: atomic, locked, and never over something it did not write. */
export * from './owned';
