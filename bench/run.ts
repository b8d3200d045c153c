// Runs every bench/*.bench.ts in its own process, one after another (so they don't compete for
// the two cores), and writes the results table into bench/README.md between the markers.
import { spawnSync } from 'node:child_process';
import { globSync, readFileSync, writeFileSync } from 'node:fs';

type Row = { benchmark: string; result: string; target: string; pass: boolean };

const only = process.argv.slice(2);
const files = globSync('bench/*.bench.ts').filter((f) => !only.length || only.some((o) => f.includes(o))).sort();
const rows: Row[] = [];
for (const file of files) {
  console.log(`running ${file} …`);
  const run = spawnSync(process.execPath, ['--disable-warning=ExperimentalWarning', '--expose-gc', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 });
  const found = run.stdout.split('\n').filter((l) => l.startsWith('{"benchmark"')).map((l) => JSON.parse(l) as Row);
  if (run.status !== 0 || !found.length) rows.push({ benchmark: file, result: `failed (exit ${run.status})`, target: '', pass: false });
  rows.push(...found);
}

const readme = new URL('./README.md', import.meta.url);
const text = readFileSync(readme, 'utf8');
const start = '<!-- results:start -->';
const end = '<!-- results:end -->';
const section = text.slice(text.indexOf(start) + start.length, text.indexOf(end));
// Rows of benchmarks not run this time stay, so `run.ts NAME` refreshes only NAME's rows.
const ran = new Set(rows.map((r) => r.benchmark));
const kept = section.split('\n').filter((l) => /^\| (?!benchmark \|)/.test(l) && !ran.has(l.slice(2).split(' | ')[0]!));
const table = ['| benchmark | result | target | met |', '|---|---|---|---|', ...kept,
  ...rows.map((r) => `| ${r.benchmark} | ${r.result} | ${r.target} | ${r.pass ? 'yes' : '**no**'} |`)].join('\n');
console.log(`\n${table}\n`);
const stamp = `Last run: ${new Date().toISOString().slice(0, 16)}Z (rows of benchmarks not rerun are from earlier runs), Node ${process.versions.node}, ${(await import('node:os')).cpus().length} cores.`;
writeFileSync(readme, text.slice(0, text.indexOf(start) + start.length) + `\n${stamp}\n\n${table}\n` + text.slice(text.indexOf(end)));
process.exit(rows.every((r) => r.pass) ? 0 : 1);
