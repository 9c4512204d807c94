/**
 * Issue 12 item 6: defaults are written once, in the schema. A spec that leaves out the job,
 * tekton or argo block carries every default of that block after parsing, and the engines render
 * what the parsed spec carries (no engine restates a default).
 */
import { Testing } from 'cdk8s';
import { KimiaWorkflowTemplate, parseBuildSpec } from '../src/internal';
import { ArgoOptions, JobOptions, TektonOptions } from '../src/spec/schema';
import { BASE, synthJob } from './helpers';

describe('defaults written once', () => {
  it('an absent block parses to the schema defaults of that block', () => {
    const spec = parseBuildSpec(BASE);
    expect(spec.job).toEqual(JobOptions.parse({}));
    expect(spec.tekton).toEqual(TektonOptions.parse({}));
    expect(spec.argo).toEqual(ArgoOptions.parse({}));
    // And the values are the ones the docs state (a change here is a deliberate default change).
    expect(spec.job.ttlSecondsAfterFinished).toBe(3600);
    expect(spec.tekton.minPipelinesVersion).toBe('0.50.0');
    expect(spec.argo.activeDeadlineSeconds).toBe(3600);
  });
  it('the engines render what the parsed spec carries, also when it differs from the usual default', () => {
    const { job } = synthJob({ ...BASE, job: { ttlSecondsAfterFinished: 77 } });
    expect(job.spec.ttlSecondsAfterFinished).toBe(77);
    expect(synthJob(BASE).job.spec.ttlSecondsAfterFinished).toBe(parseBuildSpec(BASE).job.ttlSecondsAfterFinished);
    const chart = Testing.chart();
    new KimiaWorkflowTemplate(chart, 'wt', { spec: { ...BASE, outputs: ['argo'], argo: { activeDeadlineSeconds: 99, retryLimit: 4 } } });
    const build = Testing.synth(chart)[0].spec.templates.find((t: { name: string }) => t.name === 'build');
    expect(build.activeDeadlineSeconds).toBe(99);
    expect(build.retryStrategy.limit).toBe(4);
  });
});
