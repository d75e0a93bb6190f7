// The server's V8 flags are written in three places (src/bin/server-v8-flags.ts says why): the
// `start` script, the shebang of the riffle command, and the list spawners use. They must agree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVER_V8_FLAGS } from '../../src/bin/server-v8-flags.ts';

const ROOT = join(import.meta.dirname, '../..');

void test('npm start, the riffle shebang and spawned servers use the same V8 flags', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  assert.equal(pkg.scripts['start'], `node ${SERVER_V8_FLAGS.join(' ')} src/bin/riffle.ts server`);
  const shebang = readFileSync(join(ROOT, 'src/bin/riffle.ts'), 'utf8').split('\n')[0];
  assert.equal(shebang, `#!/usr/bin/env -S node ${SERVER_V8_FLAGS.join(' ')}`);
});
