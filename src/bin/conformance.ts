// `npm run conformance -- [--report FILE] [--update-baseline] [--check-baseline] [--filter REGEX]
// [--timeout MS (default 20 s, 60 s with --log kafka)] [--concurrency N] [--rqtt-driver http|engine] [PATH…]`: runs ksqlDB-format test files against Riffle.

import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_CORPUS, readBaseline, regressions, updateBaseline } from '../conformance/baseline.ts';
import { loadCases } from '../conformance/loader.ts';
import { FileLinePrinter, reportJson, summarize, totalLine } from '../conformance/report.ts';
import { DEFAULT_TIMEOUT_MS, runCases } from '../conformance/runner.ts';
import { setLogFactory } from '../conformance/engine-host.ts';
import { KAFKA_CASE_TIMEOUT_MS, kafkaBackend } from '../conformance/kafka-backend.ts';
import { setRqttDriver } from '../conformance/rqtt-executor.ts';

interface Args {
  report: string | undefined;
  updateBaseline: boolean;
  checkBaseline: boolean;
  filter: RegExp | undefined;
  /** undefined: the runner's default, longer on Kafka (see KAFKA_CASE_TIMEOUT_MS). */
  timeoutMs: number | undefined;
  concurrency: number;
  log: 'embedded' | 'kafka';
  paths: string[];
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = {
    report: undefined, updateBaseline: false, checkBaseline: false, filter: undefined,
    timeoutMs: undefined, concurrency: 1, log: 'embedded', paths: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--report') args.report = value();
    else if (a === '--update-baseline') args.updateBaseline = true;
    else if (a === '--check-baseline') args.checkBaseline = true;
    else if (a === '--filter') args.filter = new RegExp(value());
    else if (a === '--timeout') args.timeoutMs = Number(value());
    else if (a === '--concurrency') args.concurrency = Number(value());
    else if (a === '--rqtt-driver') {
      const kind = value();
      if (kind !== 'http' && kind !== 'engine') throw new Error('--rqtt-driver is http or engine');
      setRqttDriver(kind);
    }
    else if (a === '--log') {
      const v = value();
      if (v !== 'embedded' && v !== 'kafka') throw new Error(`--log must be embedded or kafka, got ${v}`);
      args.log = v;
    } else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else args.paths.push(resolve(a));
  }
  if (args.paths.length === 0) args.paths.push(DEFAULT_CORPUS);
  return args;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  // Engine background work must not take the run down: report and carry on.
  process.on('unhandledRejection', (e) => console.error('conformance: unhandled rejection:', e));
  process.on('uncaughtException', (e) => console.error('conformance: uncaught exception:', e));
  let cases = loadCases(args.paths);
  if (args.filter) cases = cases.filter((c) => args.filter!.test(c.name));
  const printer = new FileLinePrinter(cases, (line) => console.log(line));
  const kafka = args.log === 'kafka' ? await kafkaBackend((m) => console.log(`kafka: ${m}`)) : undefined;
  if (kafka) setLogFactory(() => kafka.newLog());
  let results;
  try {
    results = await runCases(cases, {
      timeoutMs: args.timeoutMs ?? (kafka ? KAFKA_CASE_TIMEOUT_MS : DEFAULT_TIMEOUT_MS),
      concurrency: args.concurrency,
      onResult: (r) => printer.add(r),
    });
  } finally {
    setLogFactory(undefined);
    await kafka?.stop();
  }
  const summary = summarize(results);
  if (args.report) writeFileSync(args.report, reportJson(results));
  if (args.updateBaseline) {
    const added = updateBaseline(results);
    console.log(`conformance: baseline +${added.length} cases`);
  }
  let code = 0;
  if (args.checkBaseline) {
    const lost = regressions(readBaseline(), results).filter((l) => !l.endsWith('not found in the corpus') || !args.filter);
    for (const l of lost) console.log(`regression: ${l}`);
    if (lost.length > 0) code = 1;
  }
  console.log(`conformance: ${summary.negativeMessageMatched} of ${summary.negative} negative cases matched ksqlDB's message text`);
  console.log(totalLine(summary));
  return code;
}

main().then((code) => process.exit(code), (e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(2);
});
