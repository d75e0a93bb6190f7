// Just enough SQL reading for the runner, independent of the engine's parser: the WITH (...)
// properties of a statement and whether it is a plain CREATE STREAM/TABLE (the topics ksqlDB's test
// framework pre-creates, TestCaseBuilderUtil.getAllTopics).

/** WITH-clause properties, keys upper-cased, string literals unquoted. */
export function withProperties(sql: string): Map<string, string> {
  const props = new Map<string, string>();
  const m = /\bWITH\s*\(/i.exec(stripStrings(sql));
  if (!m) return props;
  const body = sql.slice(m.index + m[0].length);
  const re = /\s*([A-Za-z_][\w.]*)\s*=\s*('(?:[^']|'')*'|"(?:[^"]|"")*"|[^,)\s]+)\s*(,|\))/gy;
  let p: RegExpExecArray | null;
  while ((p = re.exec(body)) !== null) {
    let value = p[2]!;
    if (value.startsWith("'")) value = value.slice(1, -1).replace(/''/g, "'");
    else if (value.startsWith('"')) value = value.slice(1, -1).replace(/""/g, '"');
    props.set(p[1]!.toUpperCase(), value);
    if (p[3] === ')') break;
  }
  return props;
}

/** Blanks out string literals so keywords inside them are not matched. */
function stripStrings(sql: string): string {
  return sql.replace(/'(?:[^']|'')*'/g, (s) => ' '.repeat(s.length));
}

export interface CreateSourceInfo {
  readonly topic: string;
  readonly partitions: number | undefined;
}

/**
 * For `CREATE [OR REPLACE] [SOURCE] STREAM|TABLE [IF NOT EXISTS] name [(cols)] WITH (...)` without AS
 * SELECT: the topic it declares. undefined for anything else.
 */
export function plainCreateSource(sql: string): CreateSourceInfo | undefined {
  const text = stripStrings(sql);
  if (!/^\s*CREATE\s+(OR\s+REPLACE\s+)?(SOURCE\s+)?(STREAM|TABLE)\b/i.test(text)) return undefined;
  if (/\bAS\s+SELECT\b/i.test(text)) return undefined;
  const props = withProperties(sql);
  const topic = props.get('KAFKA_TOPIC');
  if (topic === undefined) return undefined;
  const partitions = props.has('PARTITIONS') ? Number(props.get('PARTITIONS')) : undefined;
  return { topic, partitions: Number.isFinite(partitions) ? partitions : undefined };
}

/** Every format named in the statement's WITH clause (KEY_FORMAT, VALUE_FORMAT, FORMAT). */
export function statementFormats(sql: string): string[] {
  const props = withProperties(sql);
  const out: string[] = [];
  for (const k of ['FORMAT', 'KEY_FORMAT', 'VALUE_FORMAT']) {
    const v = props.get(k);
    if (v !== undefined) out.push(v.toUpperCase());
  }
  // Formats can also appear outside a WITH clause we can read (e.g. nested or odd spacing).
  for (const m of sql.matchAll(/\b(?:KEY_|VALUE_)?FORMAT\s*=\s*'(\w+)'/gi)) out.push(m[1]!.toUpperCase());
  return out;
}
