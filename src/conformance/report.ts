// Output of a run: one line per file, the exact total line, and the JSON report.

import type { CaseResult } from './runner.ts';

export interface Summary {
  readonly total: number;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  /** Negative cases that ran, and how many of them matched ksqlDB's message text. */
  readonly negative: number;
  readonly negativeMessageMatched: number;
}

export function summarize(results: readonly CaseResult[]): Summary {
  const count = (s: CaseResult['status']): number => results.filter((r) => r.status === s).length;
  const negatives = results.filter((r) => r.negativeMessageMatched !== undefined);
  return {
    total: results.length,
    passed: count('passed'),
    failed: count('failed'),
    skipped: count('skipped'),
    negative: negatives.length,
    negativeMessageMatched: negatives.filter((r) => r.negativeMessageMatched === true).length,
  };
}

export function fileLine(file: string, results: readonly CaseResult[]): string {
  const s = summarize(results);
  return `${file}: ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped`;
}

export function totalLine(s: Summary): string {
  return `conformance: ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped of ${s.total} cases`;
}

export function reportJson(results: readonly CaseResult[]): string {
  const s = summarize(results);
  const report = {
    total: s.total,
    passed: s.passed,
    failed: s.failed,
    skipped: s.skipped,
    negative: s.negative,
    negativeMessageMatched: s.negativeMessageMatched,
    cases: results.map((r) => ({
      file: r.file,
      name: r.name,
      status: r.status,
      reason: r.reason,
      ...(r.negativeMessageMatched === undefined ? {} : { negativeMessageMatched: r.negativeMessageMatched }),
    })),
  };
  return JSON.stringify(report, null, 2) + '\n';
}

/**
 * Prints a file's line as soon as it and every earlier file are complete, so the lines come out in
 * file order even when cases run concurrently.
 */
export class FileLinePrinter {
  private readonly files: string[];
  private readonly pending = new Map<string, number>();
  private readonly results = new Map<string, CaseResult[]>();
  private nextFile = 0;
  private readonly print: (line: string) => void;

  constructor(cases: readonly { file: string }[], print: (line: string) => void) {
    this.print = print;
    this.files = [];
    for (const c of cases) {
      if (!this.pending.has(c.file)) this.files.push(c.file);
      this.pending.set(c.file, (this.pending.get(c.file) ?? 0) + 1);
    }
  }

  add(r: CaseResult): void {
    const list = this.results.get(r.file) ?? [];
    list.push(r);
    this.results.set(r.file, list);
    this.pending.set(r.file, (this.pending.get(r.file) ?? 1) - 1);
    while (this.nextFile < this.files.length && this.pending.get(this.files[this.nextFile]!) === 0) {
      const f = this.files[this.nextFile++]!;
      this.print(fileLine(f, this.results.get(f) ?? []));
    }
  }
}
