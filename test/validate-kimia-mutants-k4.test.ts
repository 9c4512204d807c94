/**
 * checkKimiaContainers (src/validate/kimia.ts) called directly on hand-built documents, with literal
 * expectations: the cases the mutation run left untested. Upstream facts used:
 * - kimia.md §6 (kimia docs/security.md "ALL settings required"; src/internal/preflight/
 *   check_environment.go:136-157, 235-240: MKNOD and DAC_OVERRIDE only for overlay storage, which
 *   only Buildah uses: STORAGE_DRIVER, kimia.md §1 "`--storage-driver` only affects Buildah");
 *   kimia's own default storage is vfs (kimia-bud) / native (BuildKit) (check_environment.go:49-61);
 * - kimia src/cmd/kimia/args.go:29-33 (no arguments: help, exit 0) and :144-150 (the last
 *   --storage-driver wins, the value of that flag only);
 * - Kubernetes SecurityContext: `privileged: true` runs unconfined with every capability and
 *   implies allowPrivilegeEscalation; capability names are written without (or with) a leading
 *   CAP_, which the runtime adds; `ALL` adds every capability;
 * - argo.md §2 (argo-workflows v4.1.2): a value passed by the caller is used, `default` only when
 *   nothing is supplied; containerSet containers run under their own names
 *   (pkg/apis/workflow/v1alpha1/container_set_template_types.go:54 GetContainers);
 * - Tekton v1.15.0 pkg/reconciler/taskrun/resources/apply.go: a param's default replaces
 *   `$(params.X)` inside a longer value; a StepAction is no pod (its Task's step is).
 * - Image references (OCI distribution grammar): `name[:tag][@digest]`, the tag belongs to the last
 *   path component and holds no `/`; a digest is `sha256:` and 64 lowercase hex, the reference's last part.
 */
import { KIMIA_ARGS as ARGS, KIMIA_FULL_SC, KIMIA_REF as KIMIA, kimiaLatest as LATEST, kimiaLines as lines } from './helpers';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const HEX = 'a'.repeat(64);
/** The container securityContext of kimia's docs/security.md (kimia.md §6). */
const SC: Doc = KIMIA_FULL_SC;
const without = (o: Doc, ...keys: string[]) => Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));

const container = (over: Doc = {}): Doc => ({ name: 'kimia', image: KIMIA, args: ARGS, securityContext: SC, ...over });
const pod = (containers: Doc[], spec: Doc = {}): Doc => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers, ...spec } });
const task = (steps: Doc[], params?: Doc[]): Doc => ({ apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: { name: 't' }, spec: { ...(params && { params }), steps } });
const argo = (templates: Doc[], spec: Doc = {}): Doc => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'WorkflowTemplate', metadata: { name: 'w' }, spec: { entrypoint: templates[0].name, ...spec, templates } });

const UNTAGGED = (image: string) => `kimia image "${image}" must be pinned to a version tag or digest (untagged means :latest moves with every kimia release)`;
const BAD_DIGEST = (image: string) => `kimia image "${image}" has an invalid digest (sha256:<64 hex>)`;
const RUN_AS_USER = 'runAsUser not set: kimia needs 1000: its $HOME, subuid/subgid range and image files belong to UID 1000 (kimia.md §6)';
const APPARMOR = (name: string) => `AppArmor not set: kimia needs Unconfined (securityContext.appArmorProfile.type: Unconfined, or the pod annotation container.apparmor.security.beta.kubernetes.io/${name}: unconfined); the runtime's default profile blocks its mounts (kimia.md §6)`;
const CAPS = (missing: string) => `capabilities.add must include ${missing}: kimia needs SETUID, SETGID (newuidmap/newgidmap) and nothing may drop them (kimia.md §6)`;
const OVERLAY_CAPS = 'capabilities.add must include MKNOD, DAC_OVERRIDE: kimia needs SETUID, SETGID, MKNOD, DAC_OVERRIDE (newuidmap/newgidmap; MKNOD and DAC_OVERRIDE for Buildah overlay storage) and nothing may drop them (kimia.md §6)';

describe('Argo containerSet containers (argo v4.1.2 container_set_template_types.go GetContainers)', () => {
  it('are checked at their own path, with their own name for the AppArmor annotation', () => {
    const doc = argo([{
      name: 'build',
      metadata: { annotations: { 'container.apparmor.security.beta.kubernetes.io/build': 'unconfined' } },
      containerSet: {
        containers: [
          { name: 'build', image: 'ghcr.io/rapidfort/kimia:latest', command: ['/usr/local/bin/kimia'], args: ARGS, securityContext: without(SC, 'appArmorProfile') },
          // A nameless container: the annotation it would need is keyed by the empty name.
          { image: KIMIA, command: ['kimia'], args: ARGS, securityContext: without(SC, 'appArmorProfile') },
        ],
      },
    }]);
    expect(lines(doc)).toEqual([
      `spec.templates[0].containerSet.containers[0].image: ${LATEST('ghcr.io/rapidfort/kimia:latest')}`,
      `spec.templates[0].containerSet.containers[1].securityContext.appArmorProfile: ${APPARMOR('')}`,
    ]);
  });
});

describe('a pinned kimia image: a version tag or a valid digest (OCI distribution reference grammar)', () => {
  it.each([
    // The digest is the reference's last part: a later "@x" makes it invalid.
    [`ghcr.io/rapidfort/kimia@sha256:${HEX}@x`, [BAD_DIGEST(`ghcr.io/rapidfort/kimia@sha256:${HEX}@x`)]],
    [`ghcr.io/rapidfort/kimia@xsha256:${HEX}`, [BAD_DIGEST(`ghcr.io/rapidfort/kimia@xsha256:${HEX}`)]],
    [`ghcr.io/rapidfort/kimia@sha256:${HEX}0`, [BAD_DIGEST(`ghcr.io/rapidfort/kimia@sha256:${HEX}0`)]],
    [`ghcr.io/rapidfort/kimia@sha256:${HEX}`, []],
    // A tag never holds "/": what follows the last "/" is untagged.
    ['ghcr.io/rapidfort/kimia:/1.0.25', [UNTAGGED('ghcr.io/rapidfort/kimia:/1.0.25')]],
    ['registry.local:5000/rapidfort/kimia', [UNTAGGED('registry.local:5000/rapidfort/kimia')]],
    ['ghcr.io/rapidfort/kimia:latest', [LATEST('ghcr.io/rapidfort/kimia:latest')]],
  ])('%s', (image, messages) => {
    expect(lines(pod([container({ image })]))).toEqual(messages.map((m) => `spec.containers[0].image: ${m}`));
  });

  it('a digest left to a Tekton param without a default is not judged (known at run time)', () => {
    const doc = task([{ name: 'build', image: 'ghcr.io/rapidfort/kimia@$(params.DIGEST)', args: ARGS, securityContext: SC }], [{ name: 'DIGEST', type: 'string' }]);
    expect(lines(doc)).toEqual([]);
  });

  it('a reference resolved inside a longer image names the written value (Tekton apply.go substitutes the default)', () => {
    const doc = task([{ name: 'build', image: 'ghcr.io/rapidfort/kimia:$(params.TAG)', args: ARGS, securityContext: SC }], [{ name: 'TAG', type: 'string', default: 'latest' }]);
    expect(lines(doc)).toEqual([
      `spec.steps[0].image: ${LATEST('ghcr.io/rapidfort/kimia:latest')}; "ghcr.io/rapidfort/kimia:$(params.TAG)" resolves to it`,
    ]);
    // Written as is: the message names nothing else.
    expect(lines(pod([container({ image: 'ghcr.io/rapidfort/kimia' })]))).toEqual([
      `spec.containers[0].image: ${UNTAGGED('ghcr.io/rapidfort/kimia')}`,
    ]);
  });
});

describe('capabilities (kimia.md §6; check_environment.go:136-157)', () => {
  const caps = (capabilities: Doc, args = ARGS, image = KIMIA) => lines(pod([container({ image, args, securityContext: { ...SC, capabilities } })]));

  it('only a leading CAP_ is dropped from a capability name; ALL adds every capability', () => {
    expect(caps({ add: ['cap_setuid', 'CAP_SETGID'] })).toEqual([]);
    expect(caps({ add: ['SETUID', 'SETGIDCAP_'] })).toEqual([`spec.containers[0].securityContext.capabilities.add: ${CAPS('SETGID')}`]);
    expect(caps({ add: ['ALL'] })).toEqual([]);
  });

  it('MKNOD and DAC_OVERRIDE only for kimia-bud with --storage-driver=overlay, wherever the flag is', () => {
    const overlayFirst = ['--storage-driver=overlay', ...ARGS];
    const BUD = 'ghcr.io/rapidfort/kimia-bud:1.0.25';
    expect(caps({ add: ['SETUID', 'SETGID'] }, overlayFirst, BUD)).toEqual([`spec.containers[0].securityContext.capabilities.add: ${OVERLAY_CAPS}`]);
    expect(caps({ add: ['SETUID', 'SETGID', 'MKNOD', 'DAC_OVERRIDE'] }, overlayFirst, BUD)).toEqual([]);
    // Default storage (vfs) needs only SETUID and SETGID.
    expect(caps({ add: ['SETUID', 'SETGID'] }, ARGS, BUD)).toEqual([]);
    expect(caps({ add: ['SETUID', 'SETGID'] }, ARGS, KIMIA)).toEqual([]);
  });

  it('privileged: true lifts capabilities, privilege escalation and the profiles (not UID, GID, root filesystem)', () => {
    const sc = { runAsUser: 1000, runAsGroup: 1000, runAsNonRoot: true, readOnlyRootFilesystem: false, privileged: true };
    expect(lines(pod([container({ securityContext: sc })]))).toEqual([]);
    expect(lines(pod([container({ securityContext: { ...sc, privileged: false } })]))).toEqual([
      'spec.containers[0].securityContext.allowPrivilegeEscalation: allowPrivilegeEscalation not set: kimia needs true: newuidmap/newgidmap are setuid binaries it runs for its user namespace (kimia.md §6)',
      `spec.containers[0].securityContext.capabilities.add: ${CAPS('SETUID, SETGID')}`,
      'spec.containers[0].securityContext.seccompProfile: seccompProfile not set: kimia needs type Unconfined: rootlesskit and Buildah need mount and unshare calls the default profile blocks (kimia.md §6)',
      `spec.containers[0].securityContext.appArmorProfile: ${APPARMOR('kimia')}`,
    ]);
  });
});

describe('one finding per field and message', () => {
  it('a pod-level seccompProfile two kimia containers share is reported once', () => {
    const sc = without(SC, 'seccompProfile');
    const doc = pod([container({ name: 'a', securityContext: sc }), container({ name: 'b', securityContext: sc })], { securityContext: { seccompProfile: { type: 'RuntimeDefault' } } });
    expect(lines(doc)).toEqual([
      'spec.securityContext.seccompProfile: seccompProfile is "RuntimeDefault": kimia needs type Unconfined: rootlesskit and Buildah need mount and unshare calls the default profile blocks (kimia.md §6)',
    ]);
  });
});

describe('which containers run kimia', () => {
  it('Argo: a default no caller leaves to apply is not the image (argo.md §2: default only when nothing is supplied)', () => {
    const doc = argo([
      { name: 'main', dag: { tasks: [{ name: 'build', template: 'build', arguments: { parameters: [{ name: 'BUILDER', value: KIMIA }] } }] } },
      {
        name: 'build',
        inputs: { parameters: [{ name: 'BUILDER', default: 'ghcr.io/rapidfort/kimia:latest' }] },
        container: { image: '{{inputs.parameters.BUILDER}}', command: ['/usr/local/bin/kimia'], args: ARGS, securityContext: SC },
      },
    ]);
    expect(lines(doc)).toEqual([]);
  });

  it('Argo: of the images callers pass, the kimia ones are checked, and kimia-bud rules apply when it may run', () => {
    const doc = (a: string, b: string, args = ARGS) => argo([
      {
        name: 'main',
        steps: [[
          { name: 'one', template: 'build', arguments: { parameters: [{ name: 'BUILDER', value: a }] } },
          { name: 'two', template: 'build', arguments: { parameters: [{ name: 'BUILDER', value: b }] } },
        ]],
      },
      { name: 'build', inputs: { parameters: [{ name: 'BUILDER' }] }, container: { image: '{{inputs.parameters.BUILDER}}', args, securityContext: SC } },
    ]);
    // alpine is not kimia's business here (other rules pin it); the kimia one is checked.
    expect(lines(doc('alpine:latest', 'ghcr.io/rapidfort/kimia:latest'))).toEqual([
      `spec.templates[0].steps[0][1].arguments.parameters[0].value: ${LATEST('ghcr.io/rapidfort/kimia:latest')}; it is the image of spec.templates[1].container`,
    ]);
    expect(lines(doc('ghcr.io/rapidfort/kimia-bud:1.0.25', KIMIA, ['--storage-driver=overlay', ...ARGS]))).toEqual([
      `spec.templates[1].container.securityContext.capabilities.add: ${OVERLAY_CAPS}`,
    ]);
  });

  it('a container of another image that runs kimia as its command is checked; one with no image and no kimia command is not', () => {
    const cmd = (command: string[]) => lines(pod([container({ image: 'registry.local/tools/builder:2.0', command, securityContext: without(SC, 'runAsUser') })]));
    expect(cmd(['/usr/bin/env', 'kimia'])).toEqual([`spec.containers[0].securityContext.runAsUser: ${RUN_AS_USER}`]);
    expect(cmd(['/usr/local/bin/kimia'])).toEqual([`spec.containers[0].securityContext.runAsUser: ${RUN_AS_USER}`]);
    expect(cmd([])).toEqual([]);
    expect(lines(pod([{ name: 'side', args: ['--foo'] }]))).toEqual([]);
  });

  it('a script names kimia as a word, at its start or after a path (a script that does not is a helper)', () => {
    const sc = without(SC, 'runAsUser');
    const doc = task([
      { name: 'build', image: KIMIA, args: ARGS, script: 'exec /usr/local/bin/kimia "$@"', securityContext: sc },
      { name: 'plain', image: KIMIA, args: ARGS, script: 'kimia "$@"', securityContext: sc },
      { name: 'clone', image: KIMIA, script: 'git clone https://github.com/o/app.git /workspace/source', securityContext: {} },
      { name: 'sign', image: KIMIA, script: 'kimia-bundles sign', securityContext: {} },
    ]);
    expect(lines(doc)).toEqual([
      `spec.steps[0].securityContext.runAsUser: ${RUN_AS_USER}`,
      `spec.steps[1].securityContext.runAsUser: ${RUN_AS_USER}`,
    ]);
  });
});

describe('where the security context cannot be judged, only the image and argv are', () => {
  it('a StepAction (no pod: Tekton runs it in a Task step)', () => {
    const doc = { apiVersion: 'tekton.dev/v1beta1', kind: 'StepAction', metadata: { name: 's' }, spec: { image: KIMIA, args: ARGS } };
    expect(lines(doc)).toEqual([]);
    expect(lines({ ...doc, spec: { image: 'ghcr.io/rapidfort/kimia:latest', args: [] } })).toEqual([
      `spec.image: ${LATEST('ghcr.io/rapidfort/kimia:latest')}`,
      'spec.args: no arguments: kimia prints its help and exits 0 without building (--context and at least one --destination are required)',
    ]);
  });

  it('an Argo podSpecPatch that is not YAML', () => {
    const doc = argo([{ name: 'build', podSpecPatch: 'containers: [', container: { image: KIMIA, command: ['/usr/local/bin/kimia'], args: ARGS } }]);
    expect(lines(doc)).toEqual([]);
  });
});

describe('argv findings at the element (kimia args.go)', () => {
  it('at args[i] from the first element on, at args when there are none (args.go:29-33)', () => {
    expect(lines(pod([container({ args: ['--platform=linux/amd64', ...ARGS] })]))).toEqual([
      'spec.containers[0].args[0]: --platform is not a kimia flag: kimia only warns and ignores it',
    ]);
    expect(lines(pod([container({ args: [] })]))).toEqual([
      'spec.containers[0].args: no arguments: kimia prints its help and exits 0 without building (--context and at least one --destination are required)',
    ]);
  });
});
