// HTTP BASIC authentication (authentication.method=BASIC), over both protocols and the WebSocket:
// 401 with a challenge without valid credentials, 403 for a user without an allowed role, skip
// paths, MD5 passwords, clear start-up errors, and the shell's -u/-p.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import WebSocket from 'ws';
import { loadConfig } from '../../src/config/load-config.ts';
import { loadBasicAuth } from '../../src/server/basic-auth.ts';
import { postJson, PROTOCOLS, request, startTestServer, type TestServer } from './helpers.ts';

const ROOT = join(import.meta.dirname, '../..');
const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

function authFiles(): { jaas: string } {
  const dir = mkdtempSync(join(tmpdir(), 'riffle-auth-'));
  const passwords = join(dir, 'password-file');
  writeFileSync(passwords, [
    '# user: password,roles',
    'fred: letmein,user,developer',
    'mona: MD5:' + '5f4dcc3b5aa765d61d8327deb882cf99' + ',user', // md5("password")
    'guest: guest,visitor',
  ].join('\n'));
  const jaas = join(dir, 'jaas_config.file');
  writeFileSync(jaas, `KsqlServer-Props {\n  org.eclipse.jetty.jaas.spi.PropertyFileLoginModule required\n  file="${passwords}"\n  debug="false";\n};\n`);
  return { jaas };
}

describe('BASIC authentication', () => {
  let t: TestServer;
  let jaas: string;
  before(async () => {
    jaas = authFiles().jaas;
    t = await startTestServer({
      'authentication.method': 'BASIC', 'authentication.realm': 'KsqlServer-Props', 'authentication.roles': 'user,admin',
      'authentication.skip.paths': '/chc/*', 'riffle.authentication.jaas.config': jaas,
    });
    const r = await postJson('http1', t.port, '/ksql', { ksql: "CREATE STREAM A (K STRING KEY, V INT) WITH (kafka_topic='a', value_format='JSON', partitions=1);" }, basic('fred', 'letmein'));
    assert.equal(r.status, 200, r.body);
  });
  after(() => t?.close());

  for (const p of PROTOCOLS) {
    test(`${p}: no or wrong credentials are 401 / 40100 with a Basic challenge; valid ones pass`, async () => {
      for (const headers of [{}, basic('fred', 'wrong'), basic('nobody', 'x'), { authorization: 'Bearer abc' }]) {
        const r = await request(p, t.port, '/info', { headers });
        assert.equal(r.status, 401, JSON.stringify(headers));
        assert.equal(r.headers['www-authenticate'], 'Basic realm="KsqlServer-Props"');
        assert.deepEqual(JSON.parse(r.body), { '@type': 'generic_error', error_code: 40100, message: 'Unauthorized' });
      }
      assert.equal((await request(p, t.port, '/info', { headers: basic('fred', 'letmein') })).status, 200);
      assert.equal((await request(p, t.port, '/info', { headers: basic('mona', 'password') })).status, 200, 'MD5 password');
      const q = await postJson(p, t.port, '/query-stream', { sql: 'SELECT * FROM A EMIT CHANGES LIMIT 0;' }, { ...basic('fred', 'letmein'), accept: 'application/json' });
      assert.equal(q.status, 200, q.body);
      assert.equal((await postJson(p, t.port, '/ksql', { ksql: 'SHOW STREAMS;' })).status, 401);
    });

    test(`${p}: a user without an allowed role is 403 / 40300; skip paths need no credentials`, async () => {
      const r = await request(p, t.port, '/info', { headers: basic('guest', 'guest') });
      assert.equal(r.status, 403);
      assert.equal(JSON.parse(r.body).error_code, 40300);
      assert.equal((await request(p, t.port, '/chc/live')).status, 200);
    });
  }

  test('the WebSocket needs credentials too', async () => {
    const url = `ws://127.0.0.1:${t.port}/ws/query?request=${encodeURIComponent(JSON.stringify({ ksql: 'SELECT * FROM A EMIT CHANGES;' }))}`;
    const refused = await new Promise<number>((resolve) => {
      const ws = new WebSocket(url);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
      ws.on('error', () => undefined);
    });
    assert.equal(refused, 401);
    const ws = new WebSocket(url, { headers: basic('fred', 'letmein') });
    await new Promise<void>((resolve, reject) => { ws.on('open', () => resolve()); ws.on('error', reject); });
    ws.close();
  });

  test('the shell signs in with -u/-p and reports a refusal clearly', async () => {
    const run = promisify(execFile);
    const ok = await run(process.execPath, [join(ROOT, 'src/bin/riffle.ts'), 'cli', `http://127.0.0.1:${t.port}`, '-u', 'fred', '-p', 'letmein', '-e', 'SHOW STREAMS;'], { timeout: 60_000 });
    assert.match(ok.stdout, /\bA\b.*\ba\b.*JSON/);
    const bad = await run(process.execPath, [join(ROOT, 'src/bin/riffle.ts'), 'cli', `http://127.0.0.1:${t.port}`, '-u', 'fred', '-p', 'nope', '-e', 'SHOW STREAMS;'], { timeout: 60_000 }).catch((e: { stdout: string; stderr: string }) => e);
    assert.match(bad.stdout + bad.stderr, /Unauthorized/);
  });

  test('configuration errors name the setting or file at fault', () => {
    const config = (settings: Record<string, string>) => loadConfig({
      argv: Object.entries(settings).flatMap(([k, v]) => ['--set', `${k}=${v}`]), env: {}, readFile: () => '', cwd: process.cwd(),
    });
    assert.equal(loadBasicAuth(config({}), {}), undefined);
    assert.throws(() => loadBasicAuth(config({ 'authentication.method': 'BASIC' }), {}), /authentication\.realm/);
    assert.throws(() => loadBasicAuth(config({ 'authentication.method': 'BASIC', 'authentication.realm': 'R' }), {}), /riffle\.authentication\.jaas\.config/);
    assert.throws(() => loadBasicAuth(config({ 'authentication.method': 'BASIC', 'authentication.realm': 'Other', 'riffle.authentication.jaas.config': jaas }), {}), /no section for the realm 'Other'/);
    // ksqlDB's way of naming the JAAS file works too.
    assert.ok(loadBasicAuth(config({ 'authentication.method': 'BASIC', 'authentication.realm': 'KsqlServer-Props' }), { KSQL_OPTS: `-Xmx1g -Djava.security.auth.login.config=${jaas}` }));
  });
});
