// HTTP BASIC authentication as ksqlDB configures it: `authentication.method=BASIC`, a JAAS file
// (the JVM's -Djava.security.auth.login.config, here `riffle.authentication.jaas.config` or the
// same -D option in KSQL_OPTS) whose `authentication.realm` section names a Jetty-style password
// file (`user: password[,role...]`), and `authentication.roles` a user needs one of.
// Peers: forwarded pull queries carry the caller's credentials; /heartbeat and /lag need none on
// the internal listener (`ksql.internal.listener`), the only listener that accepts them.

import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ServerConfig } from '../config/load-config.ts';
import { genericError, type WireError, wireError } from './wire/errors.ts';

export const UNAUTHORIZED = 40100;
export const FORBIDDEN = 40300;

interface User {
  readonly password: { readonly kind: 'plain' | 'md5'; readonly value: string };
  readonly roles: readonly string[];
}

export interface BasicAuth {
  readonly realm: string;
  /** The refusal for a request with this Authorization header, or undefined when it may proceed. */
  check(authorization: string | undefined): WireError | undefined;
  /** Paths served without credentials (`authentication.skip.paths`). */
  skips(path: string): boolean;
}

/** Undefined when authentication is off; throws a message naming the setting or file at fault. */
export function loadBasicAuth(config: ServerConfig, env: Readonly<Record<string, string | undefined>> = process.env): BasicAuth | undefined {
  if (config.string('authentication.method').toUpperCase() !== 'BASIC') return undefined;
  const realm = config.string('authentication.realm');
  if (realm === '') throw new Error('authentication.method=BASIC needs authentication.realm: the section of the JAAS file that names the password file');
  const jaasPath = config.string('riffle.authentication.jaas.config') || /-Djava\.security\.auth\.login\.config=(\S+)/.exec(env['KSQL_OPTS'] ?? '')?.[1];
  if (!jaasPath) {
    throw new Error('authentication.method=BASIC needs a JAAS file: set riffle.authentication.jaas.config (or -Djava.security.auth.login.config in KSQL_OPTS)');
  }
  const passwordFile = passwordFileOf(readText(jaasPath, 'JAAS file'), realm, jaasPath);
  const users = parsePasswordFile(readText(resolve(passwordFile), 'password file'), passwordFile);
  const allowed = config.list('authentication.roles');
  const skipPaths = config.list('authentication.skip.paths');
  const refuse = (code: number, status: number, message: string): WireError => ({ ...wireError(genericError(code, message)), status });
  return {
    realm,
    skips: (path) => skipPaths.some((p) => (p.endsWith('*') ? path.startsWith(p.slice(0, -1)) : path === p)),
    check(authorization) {
      const credentials = decode(authorization);
      const user = credentials && users.get(credentials.user);
      if (!credentials || !user || !passwordMatches(user, credentials.password)) return refuse(UNAUTHORIZED, 401, 'Unauthorized');
      if (!allowed.includes('*') && !user.roles.some((r) => allowed.includes(r))) return refuse(FORBIDDEN, 403, 'Forbidden');
      return undefined;
    },
  };
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`cannot read the ${what} ${path}: ${(e as Error).message}`, { cause: e });
  }
}

/** The `file="..."` option of the realm's login module section: `Realm { module required file="..."; };`. */
function passwordFileOf(jaas: string, realm: string, jaasPath: string): string {
  const escaped = realm.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const section = new RegExp(`(?:^|[\\s;}])${escaped}\\s*\\{([\\s\\S]*?)\\}\\s*;`).exec(jaas);
  if (!section) throw new Error(`the JAAS file ${jaasPath} has no section for the realm '${realm}' (authentication.realm)`);
  const file = /\bfile\s*=\s*"([^"]*)"/.exec(section[1]!);
  if (!file) throw new Error(`the '${realm}' section of ${jaasPath} names no password file (file="...")`);
  return file[1]!;
}

/** Jetty's PropertyUserStore format: `user: password[,role...]`, `#` comments. */
export function parsePasswordFile(text: string, path: string): Map<string, User> {
  const users = new Map<string, User>();
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const colon = line.search(/[:=]/);
    if (colon <= 0) throw new Error(`${path}:${i + 1}: expected 'user: password[,role...]'`);
    const [secret = '', ...roles] = line.slice(colon + 1).split(',').map((s) => s.trim());
    let password: User['password'];
    if (secret.startsWith('MD5:')) password = { kind: 'md5', value: secret.slice(4).toLowerCase() };
    else if (/^(OBF|CRYPT):/.test(secret)) throw new Error(`${path}:${i + 1}: ${secret.slice(0, secret.indexOf(':'))}: passwords are not supported; use a plain or MD5: password`);
    else password = { kind: 'plain', value: secret };
    users.set(line.slice(0, colon).trim(), { password, roles: roles.filter((r) => r !== '') });
  }
  return users;
}

function decode(authorization: string | undefined): { user: string; password: string } | undefined {
  if (!authorization || !/^basic /i.test(authorization)) return undefined;
  const text = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon < 0 ? undefined : { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

function passwordMatches(user: User, given: string): boolean {
  const expected = user.password.value;
  const actual = user.password.kind === 'md5' ? createHash('md5').update(given, 'utf8').digest('hex') : given;
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(actual, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
