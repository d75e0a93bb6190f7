// Builds the server configuration from defaults, a properties file, environment variables and
// command-line flags (precedence: flags > env > file > defaults) and validates it against settings.ts.
// Pure: argv, env and file reading are passed in, so bin/ stays the only code touching the process.

import { isAbsolute, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseProperties } from './properties-file.ts';
import { SETTINGS, settingDef, settingFromEnvVar, envVarName, type SettingDef } from './settings.ts';

export type ConfigValue = string | number | bigint | boolean | readonly string[];
export type ConfigSource = 'default' | 'file' | 'env' | 'flag';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export interface LoadConfigInput {
  /** Arguments after the subcommand, e.g. ['--port', '8089', 'server.properties']. */
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly readFile: (path: string) => string;
  readonly cwd: string;
}

interface RawSetting {
  readonly value: string;
  readonly source: ConfigSource;
  /** Where it came from, for error messages: `--set`, `KSQL_LISTENERS`, `server.properties:3`. */
  readonly origin: string;
}

export interface Listener {
  readonly url: string;
  readonly host: string;
  readonly port: number;
}

export class ServerConfig {
  readonly #values: ReadonlyMap<string, ConfigValue>;
  readonly #raw: ReadonlyMap<string, RawSetting>;
  readonly listener: Listener;
  readonly dataDir: string;
  readonly configFile: string | undefined;

  constructor(values: ReadonlyMap<string, ConfigValue>, raw: ReadonlyMap<string, RawSetting>, listener: Listener, dataDir: string, configFile: string | undefined) {
    this.#values = values;
    this.#raw = raw;
    this.listener = listener;
    this.dataDir = dataDir;
    this.configFile = configFile;
  }

  string(name: string): string {
    return this.#typed(name, 'string') as string;
  }
  number(name: string): number {
    const v = this.#typed(name, 'number');
    return typeof v === 'bigint' ? Number(v) : (v as number);
  }
  boolean(name: string): boolean {
    return this.#typed(name, 'boolean') as boolean;
  }
  list(name: string): readonly string[] {
    return this.#typed(name, 'list') as readonly string[];
  }

  source(name: string): ConfigSource {
    return this.#raw.get(name)?.source ?? 'default';
  }

  /** Whether a request may override `name` (SET, streamsProperties); unknown properties may be. */
  isOverridable(name: string): boolean {
    if (this.list('ksql.properties.overrides.denylist').includes(name)) return false;
    return settingDef(name)?.scope !== 'server';
  }

  /** Every property as a string (defaults included), for the engine and SHOW PROPERTIES. */
  properties(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const def of SETTINGS) out[def.name] = def.default;
    for (const [k, r] of this.#raw) out[k] = r.value;
    out['listeners'] = this.listener.url;
    out['riffle.data.dir'] = this.dataDir;
    return out;
  }

  #typed(name: string, wanted: string): ConfigValue {
    const def = settingDef(name);
    if (!def) throw new Error(`Unknown setting ${name}`);
    const v = this.#values.get(name);
    if (v === undefined) throw new Error(`Setting ${name} has no value`);
    const ok = wanted === 'list' ? Array.isArray(v) : wanted === 'number' ? typeof v === 'number' || typeof v === 'bigint' : typeof v === wanted;
    if (!ok) throw new Error(`Setting ${name} is a ${def.type}, not a ${wanted}`);
    return v;
  }
}

export function loadConfig(input: LoadConfigInput): ServerConfig {
  const flags = parseFlags(input.argv);
  const configFile = flags.configFile ?? input.env['RIFFLE_CONFIG_FILE'];
  const raw = new Map<string, RawSetting>();

  if (configFile !== undefined) {
    let text: string;
    try {
      text = input.readFile(resolve(input.cwd, configFile));
    } catch (e) {
      throw new ConfigError(`Cannot read config file ${configFile}: ${(e as Error).message}`);
    }
    let entries;
    try {
      entries = parseProperties(text);
    } catch (e) {
      throw new ConfigError(`${configFile}: ${(e as Error).message}`);
    }
    for (const e of entries) raw.set(e.key, { value: e.value, source: 'file', origin: `${configFile}:${e.line}` });
  }

  for (const [name, value] of Object.entries(input.env)) {
    if (value === undefined || !name.startsWith('KSQL_')) continue;
    const setting = settingFromEnvVar(name);
    // Only known settings and ksql.* keys: KSQL_HEAP_OPTS and friends are JVM options, not properties.
    if (settingDef(setting) || setting.startsWith('ksql.')) raw.set(setting, { value, source: 'env', origin: name });
  }
  if (input.env['RIFFLE_DATA_DIR'] !== undefined) {
    raw.set('riffle.data.dir', { value: input.env['RIFFLE_DATA_DIR'], source: 'env', origin: 'RIFFLE_DATA_DIR' });
  }

  for (const [k, v] of flags.set) raw.set(k, { value: v, source: 'flag', origin: `--set ${k}` });
  if (flags.dataDir !== undefined) raw.set('riffle.data.dir', { value: flags.dataDir, source: 'flag', origin: '--data-dir' });

  const errors: string[] = [];
  const values = new Map<string, ConfigValue>();
  for (const def of SETTINGS) {
    const r = raw.get(def.name);
    try {
      values.set(def.name, parseValue(def, r?.value ?? def.default));
    } catch (e) {
      errors.push(`Invalid value '${r?.value ?? def.default}' for configuration ${def.name} (from ${r?.origin ?? 'default'}): ${(e as Error).message}`);
    }
  }

  let listener: Listener | undefined;
  const portOverride = flags.port ?? input.env['RIFFLE_PORT'];
  const portOrigin = flags.port !== undefined ? '--port' : 'RIFFLE_PORT';
  try {
    listener = parseListener((values.get('listeners') as readonly string[] | undefined) ?? []);
  } catch (e) {
    errors.push(`Invalid value '${raw.get('listeners')?.value ?? ''}' for configuration listeners (from ${raw.get('listeners')?.origin ?? 'default'}): ${(e as Error).message}`);
  }
  if (listener && portOverride !== undefined) {
    const port = parsePort(portOverride);
    if (port === undefined) errors.push(`Invalid value '${portOverride}' for ${portOrigin}: expected a port number 0-65535`);
    else listener = { ...listener, port, url: `http://${listener.host}:${port}` };
  }
  if (errors.length > 0 || !listener) throw new ConfigError(errors.join('\n'));

  // ksqlDB compatibility: a server.properties that only sets ksql.streams.state.dir keeps its data there.
  const stateDir = values.get('ksql.streams.state.dir') as string;
  const dataDirSetting = raw.has('riffle.data.dir') || stateDir === '' ? (values.get('riffle.data.dir') as string) : stateDir;
  const dataDir = isAbsolute(dataDirSetting) ? dataDirSetting : resolve(input.cwd, dataDirSetting);
  return new ServerConfig(values, raw, listener, dataDir, configFile);
}

interface Flags {
  port: string | undefined;
  dataDir: string | undefined;
  configFile: string | undefined;
  set: [string, string][];
}

function parseFlags(argv: readonly string[]): Flags {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        'config-file': { type: 'string' },
        set: { type: 'string', multiple: true },
      },
    });
  } catch (e) {
    throw new ConfigError((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new ConfigError(`Expected at most one properties file, got: ${positionals.join(' ')}`);
  if (positionals.length === 1 && values['config-file'] !== undefined) {
    throw new ConfigError('Give the properties file either as --config-file or as an argument, not both');
  }
  const set: [string, string][] = [];
  for (const kv of values.set ?? []) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new ConfigError(`--set expects name=value, got '${kv}'`);
    set.push([kv.slice(0, eq).trim(), kv.slice(eq + 1).trim()]);
  }
  return { port: values.port, dataDir: values['data-dir'], configFile: values['config-file'] ?? positionals[0], set };
}

function parseValue(def: SettingDef, text: string): ConfigValue {
  const s = text.trim();
  switch (def.type) {
    case 'string':
      return s;
    case 'boolean':
      if (/^true$/i.test(s)) return true;
      if (/^false$/i.test(s)) return false;
      throw new Error('Expected value to be either true or false');
    case 'int': {
      if (!/^[+-]?\d+$/.test(s)) throw new Error('Not a number of type INT');
      const n = Number(s);
      if (n > 2147483647 || n < -2147483648) throw new Error('Not a number of type INT');
      checkMin(def, n);
      return n;
    }
    case 'long': {
      if (!/^[+-]?\d+$/.test(s)) throw new Error('Not a number of type LONG');
      const n = BigInt(s);
      if (n !== BigInt.asIntN(64, n)) throw new Error('Not a number of type LONG');
      checkMin(def, Number(n));
      return n;
    }
    case 'double': {
      const n = Number(s);
      if (s === '' || Number.isNaN(n)) throw new Error('Not a number of type DOUBLE');
      checkMin(def, n);
      return n;
    }
    case 'list':
      return s === '' ? [] : s.split(',').map((x) => x.trim()).filter((x) => x !== '');
    case 'enum': {
      const match = def.values?.find((v) => v.toLowerCase() === s.toLowerCase());
      if (match === undefined) throw new Error(`String must be one of: ${(def.values ?? []).join(', ')}`);
      return match;
    }
  }
}

function checkMin(def: SettingDef, n: number): void {
  if (def.min !== undefined && n < def.min) throw new Error(`Value must be at least ${def.min}`);
}

function parsePort(text: string): number | undefined {
  if (!/^\d+$/.test(text.trim())) return undefined;
  const n = Number(text);
  return n >= 0 && n <= 65535 ? n : undefined;
}

function parseListener(urls: readonly string[]): Listener {
  if (urls.length === 0) throw new Error('at least one listener is required');
  if (urls.length > 1) throw new Error('Riffle serves a single listener (HTTP/1.1 and HTTP/2 share it); give one URL');
  const text = urls[0]!;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`not a URL: ${text}`);
  }
  if (url.protocol !== 'http:') throw new Error(`unsupported protocol ${url.protocol.replace(':', '')} (only http is supported)`);
  const port = url.port === '' ? 80 : Number(url.port);
  // URL keeps IPv6 hosts bracketed; net.Server.listen wants them bare.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return { url: `http://${url.hostname}:${port}`, host, port };
}

/** For docs and --help: how each source spells a setting. */
export function settingSpellings(name: string): { env: string } {
  return { env: envVarName(name) };
}
