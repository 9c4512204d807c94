/**
 * `npm run bench`: times kimia-bundles on generated configs of 10, 100 and 1,000 builds and
 * compares it with two floors: bare `yaml` serialization of the same documents and a plain
 * cdk8s app emitting the same number of ApiObjects. Appends a table to bench/results.md.
 *
 * Environment: BENCH_SIZES=10,100,1000  BENCH_RUNS=5
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiObject, App, Chart } from 'cdk8s';
import { parse as parseYaml, stringify } from 'yaml';
import { parseConfigText, renderBundle, toYaml, writeBundle, type Config } from '../src';

const ROOT = path.join(__dirname, '..');
const SIZES = (process.env.BENCH_SIZES ?? '10,100,1000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kimia-bench-'));

/** A config of n builds, cycling through the examples (every engine, signing, multi-arch). */
function configText(n: number): string {
  const source = fs.readFileSync(path.join(ROOT, 'examples', 'kimia-bundles.yaml'), 'utf8');
  const raw = parseConfigText(source).builds;
  const builds = Array.from({ length: n }, (_, i) => {
    const b = JSON.parse(JSON.stringify(raw[i % raw.length])) as Record<string, unknown>;
    b.name = `${String(b.name).slice(0, 40)}-${i}`;
    return b;
  });
  return toYaml([{ builds }]).replace(/^#.*\n/, '');
}

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
function time<T>(fn: () => T): [number, T] {
  const t0 = process.hrtime.bigint();
  const r = fn();
  return [ms(t0), r];
}
function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1] };
}
const fmt = (x: { median: number; min: number; max: number }) => `${x.median.toFixed(0)} ms (${x.min.toFixed(0)}–${x.max.toFixed(0)})`;

/** The floor's writer: replaces dir with the same files, one plain write each, no atomic swap. */
function plainWrite(files: Map<string, string>, dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  for (const [name, text] of files) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
}

/** The documents a config renders to, for the floors. */
function documentsOf(cfg: Config): unknown[][] {
  const files = renderBundle(cfg, { validate: false });
  const docs: unknown[][] = [];
  for (const [f, text] of files) if (f.endsWith('.yaml')) docs.push(text.split(/^---$/m).map((d) => parseYaml(d)));
  return docs;
}

function main() {
  process.stderr.write('bench: building lib/ for the cold CLI runs\n');
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
  const bin = path.join(ROOT, 'bin', 'kimia-bundles.js');
  const rows: string[] = [];
  const perBuild: Record<number, number> = {};
  const perBuildWithWrite: Record<number, number> = {};
  const perBuildFloorWrite: Record<number, number> = {};
  let ratioYaml = 0;
  let ratioYamlWrite = 0;
  let ratioCdk8s = 0;
  for (const n of SIZES) {
    const runs = n >= 1000 ? Math.max(3, Math.floor(RUNS / 2)) : RUNS;
    const text = configText(n);
    const file = path.join(tmp, `c${n}.yaml`);
    fs.writeFileSync(file, text);
    const parse: number[] = [], render: number[] = [], renderNoValidate: number[] = [], write: number[] = [], yamlFloor: number[] = [], floorWrite: number[] = [], cdk8sFloor: number[] = [], cold: number[] = [];
    for (let r = 0; r < runs; r++) {
      process.stderr.write(`bench: ${n} builds, run ${r + 1}/${runs}\n`);
      const [tParse, cfg] = time(() => parseConfigText(text));
      parse.push(tParse);
      const [tRender, files] = time(() => renderBundle(cfg));
      render.push(tRender);
      renderNoValidate.push(time(() => renderBundle(cfg, { validate: false }))[0]);
      write.push(time(() => writeBundle(files, path.join(tmp, `out${n}`)))[0]);
      const docs = documentsOf(cfg);
      const [tYaml, texts] = time(() => docs.map((d) => d.map((x) => stringify(x)).join('---\n')));
      yamlFloor.push(tYaml);
      let j = 0;
      const floorFiles = new Map([...files].map(([f, text]) => [f, f.endsWith('.yaml') ? texts[j++] : text] as [string, string]));
      floorWrite.push(time(() => plainWrite(floorFiles, path.join(tmp, `floor${n}`)))[0]);
      cdk8sFloor.push(time(() => {
        const app = new App({ outdir: path.join(tmp, `cdk8s${n}`) });
        docs.forEach((d, i) => {
          const chart = new Chart(app, `c${i}`);
          d.forEach((x, j) => new ApiObject(chart, `o${j}`, x as never));
        });
        app.synth();
      })[0]);
      const t0 = process.hrtime.bigint();
      const c = spawnSync(process.execPath, [bin, 'synth', '--config', file, '--out', path.join(tmp, `cli${n}`)], { encoding: 'utf8' });
      cold.push(ms(t0));
      if (c.status !== 0) throw new Error(`cli failed: ${c.stderr}`);
    }
    const compute = stats(parse.map((p, i) => p + render[i]));
    const total = stats(parse.map((p, i) => p + render[i] + write[i]));
    perBuild[n] = compute.median / n;
    perBuildWithWrite[n] = total.median / n;
    perBuildFloorWrite[n] = stats(floorWrite).median / n;
    const y = stats(yamlFloor).median;
    const yw = stats(yamlFloor.map((t, i) => t + floorWrite[i])).median;
    const k = stats(cdk8sFloor).median;
    if (n === Math.max(...SIZES)) { ratioYaml = compute.median / y; ratioYamlWrite = total.median / yw; ratioCdk8s = total.median / k; }
    rows.push(`| ${n} | ${fmt(stats(parse))} | ${fmt(stats(render))} | ${fmt(stats(render.map((x, i) => x - renderNoValidate[i])))} | ${fmt(stats(write))} | ${fmt(compute)} | ${fmt(total)} | ${fmt(stats(yamlFloor))} | ${fmt(stats(floorWrite))} | ${fmt(stats(cdk8sFloor))} | ${(compute.median / y).toFixed(1)}× / ${(total.median / yw).toFixed(1)}× / ${(total.median / k).toFixed(2)}× | ${fmt(stats(cold))} |`);
  }
  const help: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = process.hrtime.bigint();
    spawnSync(process.execPath, [bin, '--help']);
    help.push(ms(t0));
  }
  const peakMb = process.resourceUsage().maxRSS / 1024;
  const big = Math.max(...SIZES);
  const mid = SIZES.filter((s) => s < big).pop();
  const growth = mid ? perBuild[big] / perBuild[mid] : 1;
  const growthWithWrite = mid ? perBuildWithWrite[big] / perBuildWithWrite[mid] : 1;
  const growthFloorWrite = mid ? perBuildFloorWrite[big] / perBuildFloorWrite[mid] : 1;
  const checks = [
    [`${big} builds (all engines, validated) under 3× the yaml floor: parse + render + validate vs serializing the same documents`, ratioYaml < 3, `${ratioYaml.toFixed(1)}×`],
    [`${big} builds under 3× the yaml floor with the writes: + writing dist/ vs serializing + writing the same files`, ratioYamlWrite < 3, `${ratioYamlWrite.toFixed(1)}×`],
    [`no slower than a plain cdk8s app`, ratioCdk8s <= 1, `${ratioCdk8s.toFixed(2)}×`],
    [`linear: per-build cost (parse + render + validate) at ${big} within 1.5× of ${mid}`, growth < 1.5,
      `${growth.toFixed(2)}×; with the writes ${growthWithWrite.toFixed(2)}×, where the plain floor write grows ${growthFloorWrite.toFixed(2)}×: the disk's share`],
    ['`kimia-bundles --help` under 300 ms', stats(help).median < 300, fmt(stats(help))],
  ] as const;
  const report = [
    `## ${new Date().toISOString().slice(0, 10)} · ${os.cpus().length} cores · Node ${process.version} · ${RUNS} runs`,
    '',
    '| builds | parse | render + validate | of which validate | write | parse + render | total with write | yaml floor | floor write | cdk8s app floor | ratios | CLI cold |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `Peak RSS: ${peakMb.toFixed(0)} MB. Times are median (min–max). Ratios: parse + render to the yaml floor / total to yaml floor + floor write / total to the cdk8s app (which writes its files).`,
    '',
    ...checks.map(([what, ok, v]) => `- ${ok ? 'met' : 'NOT met'}: ${what} (${v})`),
    '',
  ].join('\n');
  const results = path.join(ROOT, 'bench', 'results.md');
  if (!fs.existsSync(results)) fs.writeFileSync(results, '# Benchmark results\n\nAppended by `npm run bench` (bench/run.ts). See the README for what is measured.\n\n');
  fs.appendFileSync(results, `${report}\n`);
  process.stdout.write(report);
  fs.rmSync(tmp, { recursive: true, force: true });
}

main();
