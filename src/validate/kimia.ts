/**
 * kimia's argv rules for every kimia container found in a document (Job, Pod, Tekton step,
 * Argo template): the builder is recognised by its image or its command.
 */
import { checkKimiaArgv } from '../spec/argv-check';
import { formatPath } from '../spec/errors';
import type { DocumentIssue } from './issues';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Path = Array<string | number>;

const KIMIA_IMAGE = /(^|\/)rapidfort\/kimia(-bud)?([:@]|$)/;

/** The image a container runs, with a Tekton/Argo param reference replaced by its default. */
function resolveImage(image: unknown, doc: Obj, scope: Obj | undefined): string | undefined {
  if (typeof image !== 'string') return undefined;
  const tekton = /^\$\(params\.([^)]+)\)$/.exec(image);
  if (tekton) return (doc.spec?.params ?? []).find((p: Obj) => p.name === tekton[1])?.default;
  const argo = /^\{\{inputs\.parameters\.([^}]+)\}\}$/.exec(image);
  if (argo) return (scope?.inputs?.parameters ?? []).find((p: Obj) => p.name === argo[1])?.default;
  return image;
}

/** Checks the argv of every kimia container in a document. */
export function checkKimiaContainers(doc: Obj): DocumentIssue[] {
  const issues: DocumentIssue[] = [];
  const at: Path = []; // the current path, reused while walking
  const visit = (node: unknown, scope: Obj | undefined) => {
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) { at.push(i); visit(node[i], scope); at.pop(); }
      return;
    }
    if (!node || typeof node !== 'object') return;
    const o = node as Obj;
    const nextScope = o.inputs && (o.container || o.script) ? o : scope;
    if (Array.isArray(o.args) && (typeof o.image === 'string' || Array.isArray(o.command))) {
      const image = resolveImage(o.image, doc, nextScope);
      const byCommand = Array.isArray(o.command) && o.command.some((c: unknown) => typeof c === 'string' && /(^|\/)kimia$/.test(c));
      if ((image && KIMIA_IMAGE.test(image)) || byCommand) {
        const variant = image?.includes('kimia-bud') ? 'kimia-bud' : 'kimia';
        for (const i of checkKimiaArgv(o.args, variant)) {
          issues.push({ path: formatPath(i.index >= 0 ? [...at, 'args', i.index] : [...at, 'args']), message: i.message });
        }
      }
    }
    for (const k of Object.keys(o)) {
      if (k === 'args') continue;
      at.push(k);
      visit(o[k], nextScope);
      at.pop();
    }
  };
  visit(doc, undefined);
  return issues;
}
