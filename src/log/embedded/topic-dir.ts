// On-disk layout of topics: <data>/topics/<encoded name>/topic.json and one directory per partition.
// Creation and deletion are atomic renames (then an fsync of the parent), so a crash leaves either
// the whole topic or nothing; leftovers of interrupted operations are removed on open.
import fs from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { TopicDescription } from '../log.ts';
import { fsyncDir } from './partition-log.ts';

export interface TopicMeta extends TopicDescription {
  readonly retentionMs?: number;
}

const META = 'topic.json';

export function topicsRoot(dataDir: string): string {
  return path.join(dataDir, 'topics');
}

/** Names starting with '.' are escaped: dot-directories are leftovers of interrupted operations. */
export function topicPath(dataDir: string, name: string): string {
  return path.join(topicsRoot(dataDir), encodeURIComponent(name).replace(/^\./, '%2E'));
}

export function partitionPath(topicDir: string, partition: number): string {
  return path.join(topicDir, String(partition));
}

/** Topic directories found on disk, after removing leftovers of interrupted creates/deletes. */
export async function listTopicDirs(dataDir: string): Promise<{ dir: string; meta: TopicMeta }[]> {
  const root = topicsRoot(dataDir);
  await fs.mkdir(root, { recursive: true });
  const out: { dir: string; meta: TopicMeta }[] = [];
  for (const name of await fs.readdir(root)) {
    const dir = path.join(root, name);
    if (name.startsWith('.')) {
      await fs.rm(dir, { recursive: true, force: true });
      continue;
    }
    const meta = JSON.parse(await fs.readFile(path.join(dir, META), 'utf8')) as TopicMeta;
    out.push({ dir, meta });
  }
  return out;
}

export async function createTopicDir(dataDir: string, meta: TopicMeta): Promise<string> {
  const root = topicsRoot(dataDir);
  const tmp = path.join(root, `.creating-${randomUUID()}`);
  await fs.mkdir(tmp);
  const fh = await fs.open(path.join(tmp, META), 'w');
  try {
    await fh.writeFile(JSON.stringify(meta));
    await fh.sync();
  } finally {
    await fh.close();
  }
  for (let p = 0; p < meta.partitions; p++) await fs.mkdir(partitionPath(tmp, p));
  await fsyncDir(tmp);
  const dir = topicPath(dataDir, meta.name);
  await fs.rename(tmp, dir);
  await fsyncDir(root);
  return dir;
}

export async function deleteTopicDir(dataDir: string, dir: string): Promise<void> {
  const root = topicsRoot(dataDir);
  const doomed = path.join(root, `.deleting-${randomUUID()}`);
  await fs.rename(dir, doomed);
  await fsyncDir(root);
  await fs.rm(doomed, { recursive: true, force: true });
}
