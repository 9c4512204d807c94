import * as path from 'node:path';

/**
 * ../shared (kimia's source, the reference, the CRDs), beside the checkout. KIMIA_SHARED names it
 * where the tests run in a copy of the tree (`npm run mutation` runs them in Stryker's sandbox).
 */
export const SHARED = process.env.KIMIA_SHARED ?? path.resolve(__dirname, '..', '..', '..', 'shared');
