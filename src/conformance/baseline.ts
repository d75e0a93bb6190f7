// The regression gate's baseline: full names of cases known to pass, one per line, sorted. It only
// grows: updates add newly passing cases and never remove any.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CaseResult } from './runner.ts';

/** The repository root, found from this file (src/conformance/ -> ../..). */
export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
export const BASELINE_FILE = resolve(REPO_ROOT, 'test', 'conformance-baseline.txt');
export const DEFAULT_CORPUS = resolve(REPO_ROOT, '..', 'shared', 'conformance');

export function readBaseline(file = BASELINE_FILE): string[] {
  if (!existsSync(file)) return [];
  // Only line endings are stripped: some ksqlDB case names end with a space.
  return readFileSync(file, 'utf8').split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l.trim() !== '');
}

function sorted(names: Iterable<string>): string[] {
  return [...new Set(names)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Adds every passing case to the baseline; returns the names that were added. */
export function updateBaseline(results: readonly CaseResult[], file = BASELINE_FILE): string[] {
  const current = readBaseline(file);
  const known = new Set(current);
  const added = results.filter((r) => r.status === 'passed' && !known.has(r.name)).map((r) => r.name);
  const all = sorted([...current, ...added]);
  writeFileSync(file, all.length ? all.join('\n') + '\n' : '');
  return sorted(added);
}

/** Baseline cases that did not pass (or were not found at all), with why. */
export function regressions(baseline: readonly string[], results: readonly CaseResult[]): string[] {
  const byName = new Map(results.map((r) => [r.name, r]));
  return baseline.flatMap((name) => {
    const r = byName.get(name);
    if (!r) return [`${name}: not found in the corpus`];
    return r.status === 'passed' ? [] : [`${name}: ${r.status}${r.reason ? ` (${r.reason.split('\n')[0]})` : ''}`];
  });
}
