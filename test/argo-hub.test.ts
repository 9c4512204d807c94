/**
 * The optional argo-hub layout (issue 14 item 3), by `outputs: [argo, argo-hub]`: codefresh-io/argo-hub
 * workflows/<name>/versions/<semver>/{workflowTemplate.yaml, rbac.yaml, docs/} with each version's
 * template named <name>.<semver> (argo-hub workflows/kaniko/versions/0.0.1/workflowTemplate.yaml:4).
 */
import { parse } from 'yaml';
import { parseBuildSpec, renderBundle, type BuildSpecInput } from '../src/internal';
import { BASE, errorsOf } from './helpers';

const spec = (outputs: BuildSpecInput['outputs']): BuildSpecInput => ({ ...BASE, name: 'hubapp', version: '0.3', outputs });

describe('argo-hub layout', () => {
  it('is written only when outputs list argo-hub, beside the Argo catalog layout', () => {
    const files = [...renderBundle({ builds: [parseBuildSpec(spec(['argo', 'argo-hub']))] }).keys()];
    expect(files.filter((f) => f.startsWith('argo-hub/'))).toEqual([
      'argo-hub/workflows/hubapp/versions/0.3.0/docs/README.md',
      'argo-hub/workflows/hubapp/versions/0.3.0/docs/workflow.yaml',
      'argo-hub/workflows/hubapp/versions/0.3.0/rbac.yaml',
      'argo-hub/workflows/hubapp/versions/0.3.0/workflowTemplate.yaml',
    ]);
    expect(files).toContain('argo/workflowtemplate/hubapp/0.3/hubapp.yaml');
    expect([...renderBundle({ builds: [parseBuildSpec(spec(['argo']))] }).keys()].some((f) => f.startsWith('argo-hub/'))).toBe(false);
  });
  it('names each version\'s template <name>.<semver> and the sample refers to it', () => {
    const b = renderBundle({ builds: [parseBuildSpec(spec(['argo', 'argo-hub']))] });
    const doc = (f: string) => parse(b.get(f)!.replace(/^#.*\n/, ''));
    const t = doc('argo-hub/workflows/hubapp/versions/0.3.0/workflowTemplate.yaml');
    expect(t.metadata.name).toBe('hubapp.0.3.0');
    expect(t.metadata.annotations['argo-hub/version']).toBe('0.3.0');
    expect(doc('argo-hub/workflows/hubapp/versions/0.3.0/docs/workflow.yaml').spec.workflowTemplateRef.name).toBe('hubapp.0.3.0');
  });
  it('its README installs from docs/ (../rbac.yaml, ../workflowTemplate.yaml) and says versions install side by side', () => {
    const readme = renderBundle({ builds: [parseBuildSpec(spec(['argo', 'argo-hub']))] }).get('argo-hub/workflows/hubapp/versions/0.3.0/docs/README.md')!;
    expect(readme).toContain('kubectl apply -n NAMESPACE -f ../rbac.yaml -f ../workflowTemplate.yaml\n');
    expect(readme).toContain('Run it in this directory: it applies this version only, and the template is named `hubapp.0.3.0`, so versions install side by side. ');
    expect(readme).not.toContain('never the whole tree');
  });
  it('refuses argo-hub without argo, naming outputs', () => {
    expect(errorsOf(spec(['job', 'argo-hub']))).toContainEqual(expect.stringMatching(/^outputs: argo-hub is the Argo template in the argo-hub layout: list argo too/));
  });
});
