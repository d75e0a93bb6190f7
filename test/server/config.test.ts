// Configuration: properties-file parsing, precedence (flags > env > file > defaults), Docker-style
// environment names, validation messages, and that docs/configuration.md is current.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { renderConfigReference } from '../../src/config/config-docs.ts';
import { ConfigError, loadConfig } from '../../src/config/load-config.ts';
import { parseProperties } from '../../src/config/properties-file.ts';
import { envVarName, settingFromEnvVar, SETTINGS } from '../../src/config/settings.ts';

function load(argv: string[], env: Record<string, string> = {}, files: Record<string, string> = {}) {
  return loadConfig({
    argv,
    env,
    cwd: '/srv',
    readFile: (p) => {
      const f = files[p];
      if (f === undefined) throw new Error(`ENOENT: ${p}`);
      return f;
    },
  });
}

describe('properties files', () => {
  test('java.util.Properties syntax', () => {
    const entries = parseProperties('# comment\n! also\n  a = 1\nb:2\nc 3\nd=multi \\\n   line\ne=tab\\tx\\u0041\nf=\n');
    assert.deepEqual(entries.map((e) => [e.key, e.value]), [['a', '1'], ['b', '2'], ['c', '3'], ['d', 'multi line'], ['e', 'tab\txA'], ['f', '']]);
    assert.equal(entries[3]!.line, 6);
  });
});

describe('loading', () => {
  test('defaults', () => {
    const c = load([]);
    assert.deepEqual(c.listener, { url: 'http://0.0.0.0:8088', host: '0.0.0.0', port: 8088 });
    assert.equal(c.dataDir, '/srv/data');
    assert.equal(c.string('ksql.service.id'), 'default_');
    assert.equal(c.boolean('ksql.query.pull.table.scan.enabled'), true);
    assert.equal(c.source('ksql.service.id'), 'default');
  });

  test('precedence: flags > env > file > defaults', () => {
    const files = { '/srv/server.properties': 'ksql.service.id=from_file\nlisteners=http://127.0.0.1:9000\nksql.streams.num.standby.replicas=1\nksql.streams.cache.max.bytes.buffering=0\n' };
    const fileOnly = load(['server.properties'], {}, files);
    assert.equal(fileOnly.string('ksql.service.id'), 'from_file');
    assert.equal(fileOnly.listener.port, 9000);
    assert.equal(fileOnly.number('ksql.streams.num.standby.replicas'), 1);
    assert.equal(fileOnly.properties()['ksql.streams.cache.max.bytes.buffering'], '0', 'unknown keys pass through');
    const env = { KSQL_KSQL_SERVICE_ID: 'from_env', RIFFLE_PORT: '9100', RIFFLE_DATA_DIR: '/var/riffle', KSQL_HEAP_OPTS: '-Xmx1g' };
    const withEnv = load(['--config-file', 'server.properties'], env, files);
    assert.equal(withEnv.string('ksql.service.id'), 'from_env');
    assert.equal(withEnv.listener.port, 9100);
    assert.equal(withEnv.listener.host, '127.0.0.1');
    assert.equal(withEnv.dataDir, '/var/riffle');
    assert.equal(withEnv.properties()['heap.opts'], undefined);
    const withFlags = load(['server.properties', '--port', '9200', '--data-dir', 'd2', '--set', 'ksql.service.id=from_flag'], env, files);
    assert.equal(withFlags.string('ksql.service.id'), 'from_flag');
    assert.equal(withFlags.listener.port, 9200);
    assert.equal(withFlags.dataDir, '/srv/d2');
    assert.equal(withFlags.source('ksql.service.id'), 'flag');
  });

  test('RIFFLE_CONFIG_FILE and ksql.streams.state.dir compatibility', () => {
    const c = load([], { RIFFLE_CONFIG_FILE: '/etc/k.properties' }, { '/etc/k.properties': 'ksql.streams.state.dir=/var/lib/ksql\n' });
    assert.equal(c.dataDir, '/var/lib/ksql');
    assert.equal(c.configFile, '/etc/k.properties');
  });

  test('clear validation errors', () => {
    const cases: [string[], Record<string, string>, RegExp][] = [
      [['--port', 'abc'], {}, /Invalid value 'abc' for --port/],
      [['--set', 'ksql.max.push.queries=lots'], {}, /Invalid value 'lots' for configuration ksql.max.push.queries \(from --set ksql.max.push.queries\): Not a number of type INT/],
      [[], { KSQL_KSQL_QUERY_PULL_TABLE_SCAN_ENABLED: 'maybe' }, /ksql.query.pull.table.scan.enabled \(from KSQL_KSQL_QUERY_PULL_TABLE_SCAN_ENABLED\): Expected value to be either true or false/],
      [['--set', 'processing.guarantee=twice'], {}, /String must be one of: at_least_once, exactly_once, exactly_once_v2/],
      [['--set', 'listeners=https://0.0.0.0:8088'], {}, /only http is supported/],
      [['--set', 'listeners=http://a:1,http://b:2'], {}, /single listener/],
      [['--bogus'], {}, /Unknown option '--bogus'/],
      [['missing.properties'], {}, /Cannot read config file missing.properties/],
      [['--set', 'novalue'], {}, /--set expects name=value/],
    ];
    for (const [argv, env, message] of cases) {
      assert.throws(() => load(argv, env), (e: Error) => e instanceof ConfigError && message.test(e.message), `${argv.join(' ')}`);
    }
  });

  test('overridable: query-scoped and unknown settings yes, server-scoped and denylisted no', () => {
    const c = load(['--set', 'ksql.properties.overrides.denylist=ksql.streams.commit.interval.ms']);
    assert.equal(c.isOverridable('ksql.streams.auto.offset.reset'), true);
    assert.equal(c.isOverridable('ksql.streams.some.unknown'), true);
    assert.equal(c.isOverridable('ksql.service.id'), false);
    assert.equal(c.isOverridable('ksql.streams.commit.interval.ms'), false);
  });
});

describe('settings table', () => {
  test('environment names round-trip and every default is valid', () => {
    for (const s of SETTINGS) assert.equal(settingFromEnvVar(envVarName(s.name)), s.name);
    assert.equal(envVarName('ksql.service.id'), 'KSQL_KSQL_SERVICE_ID');
    assert.doesNotThrow(() => load([]));
    assert.equal(new Set(SETTINGS.map((s) => s.name)).size, SETTINGS.length, 'each setting defined once');
  });

  test('docs/configuration.md is generated from the table (npm run docs:config)', () => {
    const committed = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
    assert.equal(committed, renderConfigReference());
  });
});
