// Benchmark dispatcher: `npm run bench -- <name> [args]` runs bench/<name>.ts, whose exported
// `main(args)` does the work. Entry files have plain names; their helpers are `<name>-<part>.ts`.
import { readdirSync } from 'node:fs';

const benches = readdirSync(import.meta.dirname)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.includes('-'))
  .map((f) => f.slice(0, -3))
  .sort();

const [name, ...args] = process.argv.slice(2);
if (name === undefined || !benches.includes(name)) {
  process.stderr.write(`usage: npm run bench -- <${benches.join('|')}> [options]\n`);
  process.exitCode = name === undefined || name === '--help' ? 0 : 2;
} else {
  const bench = (await import(`./${name}.ts`)) as { main(args: string[]): Promise<void> };
  await bench.main(args);
}
