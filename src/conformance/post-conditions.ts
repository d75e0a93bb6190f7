// Post-conditions (§1.7): listed sources must exist with the given type, schema, formats and
// features; topics are checked partially (blacklist regex, existence, partitions, format names).
// Returns a failure reason, or undefined when all hold.

import { formatSchema } from '../catalog/schema.ts';
import type { EngineApi, SourceInfo } from '../engine/engine-api.ts';
import type { JsonObject } from './json.ts';
import { arr, num, obj, str } from './model.ts';
import { canonicalSchema } from './schema-string.ts';

export async function checkPostConditions(engine: EngineApi, post: JsonObject | undefined): Promise<string | undefined> {
  if (!post) return undefined;
  for (const s of arr(post['sources'])) {
    const reason = checkSource(engine, obj(s) ?? {});
    if (reason) return reason;
  }
  const topics = obj(post['topics']);
  if (topics) return checkTopics(engine, topics);
  return undefined;
}

function findSource(engine: EngineApi, name: string): SourceInfo | undefined {
  return engine.source(name) ?? engine.sources().find((s) => s.name === name);
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const x = [...a].map((v) => v.toUpperCase()).sort();
  const y = [...b].map((v) => v.toUpperCase()).sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

function checkSource(engine: EngineApi, node: JsonObject): string | undefined {
  const name = str(node['name']) ?? '';
  const src = findSource(engine, name);
  const where = `post-condition source ${name}`;
  if (!src) return `${where}: does not exist`;
  const type = str(node['type']);
  if (type && type.toUpperCase() !== src.type) return `${where}: expected type ${type.toUpperCase()} but was ${src.type}`;
  const schema = str(node['schema']);
  if (schema !== undefined) {
    let want: string;
    try {
      want = canonicalSchema(schema);
    } catch (e) {
      return `${where}: cannot read expected schema '${schema}': ${(e as Error).message}`;
    }
    const got = formatSchema(src.schema);
    if (want !== got) return `${where}: expected schema ${want} but was ${got}`;
  }
  const kf = obj(node['keyFormat']);
  if (kf) {
    const fmt = str(kf['format']);
    if (fmt && fmt.toUpperCase() !== src.keyFormat.info.format) {
      return `${where}: expected key format ${fmt} but was ${src.keyFormat.info.format}`;
    }
    // windowType/windowSize are always compared when keyFormat is given: absent = not windowed.
    const wt = str(kf['windowType'])?.toUpperCase();
    const actualWt = src.keyFormat.window?.type;
    if (wt !== actualWt) return `${where}: expected window type ${wt ?? 'none'} but was ${actualWt ?? 'none'}`;
    const ws = num(kf['windowSize']);
    const actualWs = src.keyFormat.window?.sizeMs;
    if (ws !== actualWs) return `${where}: expected window size ${ws ?? 'none'} but was ${actualWs ?? 'none'}`;
  }
  const vf = str(node['valueFormat']);
  if (vf && vf.toUpperCase() !== src.valueFormat.info.format) {
    return `${where}: expected value format ${vf} but was ${src.valueFormat.info.format}`;
  }
  const kfe = node['keyFeatures'];
  if (Array.isArray(kfe) && !sameSet(kfe.map((f) => str(f) ?? ''), src.keyFormat.features)) {
    return `${where}: expected key features [${kfe.map((f) => str(f)).join(', ')}] but was [${src.keyFormat.features.join(', ')}]`;
  }
  const vfe = node['valueFeatures'];
  if (Array.isArray(vfe) && !sameSet(vfe.map((f) => str(f) ?? ''), src.valueFormat.features)) {
    return `${where}: expected value features [${vfe.map((f) => str(f)).join(', ')}] but was [${src.valueFormat.features.join(', ')}]`;
  }
  if (typeof node['isSource'] === 'boolean' && node['isSource'] !== src.isSource) {
    return `${where}: expected isSource ${String(node['isSource'])} but was ${String(src.isSource)}`;
  }
  return undefined;
}

async function checkTopics(engine: EngineApi, node: JsonObject): Promise<string | undefined> {
  const all = await engine.log.listTopics();
  const blacklist = str(node['blacklist']);
  if (blacklist) {
    const re = new RegExp(`^(?:${blacklist})$`);
    const bad = all.find((t) => re.test(t.name));
    if (bad) return `post-condition topics: topic ${bad.name} matches blacklist ${blacklist}`;
  }
  for (const t of arr(node['topics'])) {
    const o = obj(t) ?? {};
    const name = str(o['name']) ?? '';
    const actual = all.find((x) => x.name === name);
    if (!actual) return `post-condition topic ${name}: does not exist`;
    const partitions = num(o['partitions']);
    if (partitions !== undefined && partitions !== actual.partitions) {
      return `post-condition topic ${name}: expected ${partitions} partitions but was ${actual.partitions}`;
    }
    // Format names (the serialized KeyFormat/ValueFormat) are checked against the source over the topic.
    const src = engine.sources().find((s) => s.topic === name);
    if (!src) continue;
    const kf = str(obj(o['keyFormat'])?.['format']);
    if (kf && kf.toUpperCase() !== src.keyFormat.info.format) {
      return `post-condition topic ${name}: expected key format ${kf} but was ${src.keyFormat.info.format}`;
    }
    const vf = str(obj(o['valueFormat'])?.['format']);
    if (vf && vf.toUpperCase() !== src.valueFormat.info.format) {
      return `post-condition topic ${name}: expected value format ${vf} but was ${src.valueFormat.info.format}`;
    }
  }
  return undefined;
}
