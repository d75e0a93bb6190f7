// Regression gate: every case in test/conformance-baseline.txt must still pass. Only baseline
// cases are run (in-process, sequentially), so the gate stays fast however large the corpus is.
// Grow the baseline with `npm run conformance -- --update-baseline`.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { readBaseline, regressions } from '../src/conformance/baseline.ts';
import { loadCases } from '../src/conformance/loader.ts';
import { runCases } from '../src/conformance/runner.ts';

// ../shared/conformance relative to the repository root, found from this file.
const CORPUS = resolve(import.meta.dirname, '..', '..', 'shared', 'conformance');

void test('conformance baseline cases still pass', { timeout: 15 * 60_000 }, async (t) => {
  const baseline = readBaseline();
  if (baseline.length === 0) {
    t.skip('baseline is empty');
    return;
  }
  assert.ok(existsSync(CORPUS), `conformance corpus not found at ${CORPUS}`);
  const wanted = new Set(baseline);
  const cases = loadCases([CORPUS]).filter((c) => wanted.has(c.name));
  const results = await runCases(cases, { concurrency: 1 });
  const lost = regressions(baseline, results);
  assert.equal(lost.length, 0, `${lost.length} baseline case(s) no longer pass:\n${lost.join('\n')}`);
});
