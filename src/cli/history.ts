// The shell's input history file (~/.riffle_history by default): one entry per line, oldest first.
// readline keeps its history newest first, hence the reversals.

import { readFileSync, writeFileSync } from 'node:fs';

export const HISTORY_SIZE = 1000;

/** readline's initial history (newest first); a missing or unreadable file is an empty history. */
export function loadHistory(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').slice(-HISTORY_SIZE).reverse();
  } catch {
    return [];
  }
}

/** Rewrites the file from readline's history (newest first); failures must not break the shell. */
export function saveHistory(file: string, history: readonly string[]): void {
  try {
    const lines = history.slice(0, HISTORY_SIZE).reverse();
    writeFileSync(file, lines.length === 0 ? '' : lines.join('\n') + '\n', { mode: 0o600 });
  } catch {}
}
