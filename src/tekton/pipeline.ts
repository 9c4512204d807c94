/**
 * KimiaBuildPipeline: clone (catalog git-clone by hub resolver), kimia build, optional cosign verify.
 */
import { Construct } from 'constructs';
import {
  Pipeline, type PipelineSpecParams, type PipelineSpecTasks, type PipelineSpecWorkspaces,
} from '../../imports/tekton-pipeline-tekton.dev';
import { cosignVerifyArgs, helperSecurityContext } from '../spec';
import { KimiaBuildTask, RESULTS } from './task';
import { catalogMetadata, tektonOptions } from './catalog';

export interface KimiaBuildPipelineProps {
  /** The Task the Pipeline runs (referenced by name: install it first). */
  readonly task: KimiaBuildTask;
}

/** Names of the Pipeline's own params and workspace. */
export const PIPELINE = { gitUrl: 'GIT_URL', gitRevision: 'GIT_REVISION', verify: 'VERIFY', shared: 'shared' } as const;

/**
 * A `tekton.dev/v1` Pipeline around a {@link KimiaBuildTask}:
 * - `clone`: the catalog's git-clone Task (hub resolver, version from the spec) into the
 *   shared workspace, when the build uses a local context;
 * - `build`: the kimia Task, with CHAINS-GIT_URL/COMMIT from the clone for provenance;
 * - `verify`: `cosign verify` of the pushed digest, when the build signs.
 * The build's IMAGE_URL and IMAGE_DIGEST are surfaced as Pipeline results.
 */
export class KimiaBuildPipeline extends Construct {
  readonly pipeline: Pipeline;

  constructor(scope: Construct, id: string, props: KimiaBuildPipelineProps) {
    super(scope, id);
    const { spec, interface: iface } = props.task;
    const o = tektonOptions(spec);
    const clones = iface.workspaces.some((w) => w.name === 'source');

    const params: PipelineSpecParams[] = iface.params
      .filter((p) => !(clones && p.name.startsWith('CHAINS-')))
      .map((p) => ({ name: p.name, type: p.type, description: p.description, ...(p.default !== undefined ? { default: p.default } : {}) }));
    if (clones) {
      params.unshift(
        { name: PIPELINE.gitUrl, type: 'string', description: 'Git URL to clone.' },
        { name: PIPELINE.gitRevision, type: 'string', description: 'Branch, tag or commit to clone.', default: 'main' },
      );
    }
    const workspaces: PipelineSpecWorkspaces[] = [];
    if (clones) workspaces.push({ name: PIPELINE.shared, description: 'Holds the cloned source for the build (a PVC or volumeClaimTemplate).' });
    for (const w of iface.workspaces) {
      if (w.name !== 'source') workspaces.push({ name: w.name, description: w.description, ...(w.optional ? { optional: true } : {}) });
    }

    const tasks: PipelineSpecTasks[] = [];
    if (clones) {
      tasks.push({
        name: 'clone',
        taskRef: {
          resolver: 'hub',
          params: [
            { name: 'catalog', value: 'tekton-catalog-tasks' },
            { name: 'type', value: 'artifact' },
            { name: 'kind', value: 'task' },
            { name: 'name', value: 'git-clone' },
            { name: 'version', value: o.gitCloneVersion },
          ],
        },
        params: [
          { name: 'url', value: `$(params.${PIPELINE.gitUrl})` },
          { name: 'revision', value: `$(params.${PIPELINE.gitRevision})` },
        ],
        workspaces: [{ name: 'output', workspace: PIPELINE.shared }],
      });
    }
    const passThrough = iface.params.map((p) => {
      if (clones && p.name === 'CHAINS-GIT_URL') return { name: p.name, value: '$(tasks.clone.results.url)' };
      if (clones && p.name === 'CHAINS-GIT_COMMIT') return { name: p.name, value: '$(tasks.clone.results.commit)' };
      return { name: p.name, value: p.type === 'array' ? [`$(params.${p.name}[*])`] : `$(params.${p.name})` };
    });
    tasks.push({
      name: 'build',
      ...(clones ? { runAfter: ['clone'] } : {}),
      taskRef: { name: spec.name, kind: 'Task' },
      params: passThrough,
      workspaces: iface.workspaces.map((w) => ({ name: w.name, workspace: w.name === 'source' ? PIPELINE.shared : w.name })),
    });
    const hasResults = iface.results.some((r) => r.name === RESULTS.digest);
    if (spec.signing && o.verify && hasResults) {
      params.push({ name: PIPELINE.verify, type: 'string', description: 'Verify the signature of the pushed image with cosign.pub from the cosign workspace ("true" or "false").', default: 'true' });
      tasks.push({
        name: 'verify',
        runAfter: ['build'],
        when: [{ input: `$(params.${PIPELINE.verify})`, operator: 'in', values: ['true'] }],
        params: [{ name: 'IMAGE_REF', value: `$(tasks.build.results.${RESULTS.url})@$(tasks.build.results.${RESULTS.digest})` }],
        workspaces: [
          { name: 'cosign', workspace: 'cosign' },
          ...(workspaces.some((w) => w.name === 'dockerconfig') ? [{ name: 'dockerconfig', workspace: 'dockerconfig' }] : []),
        ],
        taskSpec: {
          params: [{ name: 'IMAGE_REF', type: 'string', description: 'The pushed image, by digest.' }],
          workspaces: [
            { name: 'cosign', readOnly: true, description: 'Holds cosign.pub.' },
            { name: 'dockerconfig', readOnly: true, optional: true, description: 'Registry credentials (config.json) to read the signature.' },
          ],
          steps: [{
            name: 'cosign-verify',
            image: o.cosignImage,
            // The cosign image is distroless (no shell): cosign itself is the entrypoint.
            args: cosignVerifyArgs(spec, '$(workspaces.cosign.path)/cosign.pub', '$(params.IMAGE_REF)'),
            env: [{ name: 'DOCKER_CONFIG', value: '$(workspaces.dockerconfig.path)' }],
            securityContext: helperSecurityContext(),
          }],
        },
      });
    }

    const meta = catalogMetadata(spec, 'pipeline');
    this.pipeline = new Pipeline(this, 'Pipeline', {
      metadata: meta.metadata,
      spec: {
        description: meta.description,
        params,
        workspaces,
        tasks,
        ...(hasResults
          ? {
              results: [
                { name: RESULTS.url, type: 'string', description: 'The pushed image (repository:tag).', value: `$(tasks.build.results.${RESULTS.url})` },
                { name: RESULTS.digest, type: 'string', description: 'Digest of the pushed image.', value: `$(tasks.build.results.${RESULTS.digest})` },
              ],
            }
          : {}),
      },
    });
  }
}
