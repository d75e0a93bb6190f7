// Exclusive ownership of a data directory: a LOCK file holding the owner's pid. A lock left by a
// dead process (kill -9) is taken over; a live owner, or a second open in this process, is refused.
import fs from 'node:fs/promises';
import path from 'node:path';

export interface DirLock {
  release(): Promise<void>;
}

const heldHere = new Set<string>();

export async function acquireDirLock(dir: string): Promise<DirLock> {
  const file = path.join(path.resolve(dir), 'LOCK');
  if (heldHere.has(file)) throw new Error(`${dir} is already open in this process`);
  let owner: number | undefined;
  try {
    owner = Number(await fs.readFile(file, 'utf8'));
  } catch {}
  if (owner && owner !== process.pid && isAlive(owner)) throw new Error(`${dir} is in use by process ${owner}`);
  await fs.writeFile(file, String(process.pid));
  heldHere.add(file);
  return {
    async release() {
      heldHere.delete(file);
      await fs.rm(file, { force: true });
    },
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
