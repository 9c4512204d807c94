/** The validation gate and its parts. */
export * from './issues';
export * from './gate';
export * from './files';
export { validateStructure } from './structure';
export { checkTektonRules } from './tekton';
export { checkCatalogRules, isMutableImage, HUB_CATEGORIES } from './catalog';
export { checkArgoRules, checkArgoCatalogRules } from './argo';
export { checkKimiaContainers } from './kimia';
