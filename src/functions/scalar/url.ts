// URL functions: components as java.net.URI reports them (decoded path/query/fragment, null for
// absent parts, port -1 -> null), form-parameter encoding as Guava's escaper and URLDecoder.

import { INTEGER, STRING } from '../../common/sql-type.ts';
import type { ScalarFunction } from '../function-types.ts';
import { P } from '../signature.ts';
import { defineScalar, strict } from './define.ts';

interface ParsedUri {
  readonly scheme: string | null;
  readonly authority: string | null;
  readonly rawPath: string | null;
  readonly rawQuery: string | null;
  readonly rawFragment: string | null;
}

function parseUri(url: string): ParsedUri {
  if (/[\s"<>\\^`{|}]/.test(url) || /%(?![0-9a-fA-F]{2})/.test(url) || url === '') {
    throw new Error(`URL input has invalid syntax: ${url}`);
  }
  const m = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(url)!;
  const scheme = m[1] ?? null;
  const opaque = scheme !== null && m[2] === undefined && !m[3]!.startsWith('/');
  if (opaque) return { scheme, authority: null, rawPath: null, rawQuery: null, rawFragment: m[5] ?? null };
  return { scheme, authority: m[2] ?? null, rawPath: m[3]!, rawQuery: m[4] ?? null, rawFragment: m[5] ?? null };
}

/** URI's percent-decoding (UTF-8); '+' stays '+'. */
function decodeComponent(s: string | null): string | null {
  if (s === null) return null;
  return s.replace(/(?:%[0-9a-fA-F]{2})+/g, (seq) => Buffer.from(seq.replace(/%/g, ''), 'hex').toString('utf8'));
}

/** Server-based authority: [userinfo@]host[:port]; null host when it is not a valid host name. */
function hostAndPort(authority: string | null): { host: string | null; port: number | null } {
  if (authority === null) return { host: null, port: null };
  const at = authority.lastIndexOf('@');
  const hp = at >= 0 ? authority.slice(at + 1) : authority;
  const m = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]*)(?::(\d*))?$/.exec(hp);
  if (!m || m[1] === '' || (!m[1]!.startsWith('[') && !/^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.?$/.test(m[1]!))) {
    return { host: null, port: null };
  }
  return { host: m[1]!, port: m[2] ? Number(m[2]) : null };
}

/** Guava UrlEscapers.urlFormParameterEscaper(). */
function encodeParam(s: string): string {
  let out = '';
  for (const ch of s) {
    if (/^[A-Za-z0-9._*-]$/.test(ch)) out += ch;
    else if (ch === ' ') out += '+';
    else for (const b of Buffer.from(ch, 'utf8')) out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** URLDecoder.decode(s, UTF-8). */
function decodeParam(s: string): string {
  if (/%(?![0-9a-fA-F]{2})/.test(s)) throw new Error(`URLDecoder: Illegal hex characters in escape (%) pattern`);
  return s.replace(/\+/g, ' ').replace(/(?:%[0-9a-fA-F]{2})+/g, (seq) => Buffer.from(seq.replace(/%/g, ''), 'hex').toString('utf8'));
}

function extractParameter(url: string, name: string): string | null {
  const query = decodeComponent(parseUri(url).rawQuery);
  if (query === null) return null;
  for (const param of query.split('&')) {
    const eq = param.indexOf('=');
    if (eq < 0 && param === name) return '';
    if (eq >= 0 && param.slice(0, eq) === name) return param.slice(eq + 1);
  }
  return null;
}

const urlFn = (name: string, description: string, extract: (u: ParsedUri) => unknown, returns = STRING): ScalarFunction =>
  defineScalar({
    name, category: 'URL', description,
    overloads: [{ params: [P.STRING], names: ['input'], returns, invoke: strict((a) => extract(parseUri(a[0] as string))) }],
  });

export const urlFunctions: readonly ScalarFunction[] = [
  defineScalar({
    name: 'URL_DECODE_PARAM', category: 'URL', description: 'Unescapes the URL-param-encoded value.',
    overloads: [{ params: [P.STRING], names: ['input'], returns: STRING, invoke: strict((a) => decodeParam(a[0] as string)) }],
  }),
  defineScalar({
    name: 'URL_ENCODE_PARAM', category: 'URL', description: 'Escapes the value so it can be safely used in a URL query string.',
    overloads: [{ params: [P.STRING], names: ['input'], returns: STRING, invoke: strict((a) => encodeParam(a[0] as string)) }],
  }),
  urlFn('URL_EXTRACT_FRAGMENT', 'Extracts the fragment portion of the specified value.', (u) => decodeComponent(u.rawFragment)),
  urlFn('URL_EXTRACT_HOST', 'Extracts the host-name portion of the specified value.', (u) => hostAndPort(u.authority).host),
  defineScalar({
    name: 'URL_EXTRACT_PARAMETER', category: 'URL', description: 'Extracts the value of the requested parameter from the query string.',
    overloads: [{ params: [P.STRING, P.STRING], names: ['input', 'paramToFind'], returns: STRING, invoke: strict((a) => extractParameter(a[0] as string, a[1] as string)) }],
  }),
  urlFn('URL_EXTRACT_PATH', 'Extracts the path from the specified value.', (u) => decodeComponent(u.rawPath)),
  urlFn('URL_EXTRACT_PORT', 'Extracts the port number from the specified value.', (u) => hostAndPort(u.authority).port, INTEGER),
  urlFn('URL_EXTRACT_PROTOCOL', 'Extracts the protocol from the specified value.', (u) => u.scheme),
  urlFn('URL_EXTRACT_QUERY', 'Extracts the decoded query-string portion of the specified value.', (u) => decodeComponent(u.rawQuery)),
];
