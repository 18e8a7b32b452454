import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/**
 * Every file under `dir` (hidden ones too) with its bytes' sha256, or null when there is no
 * such folder: two snapshots are equal exactly when nothing in the folder changed.
 */
export async function snapshot(dir: string): Promise<Record<string, string> | null> {
  let names: string[];
  try {
    names = await readdir(dir, { recursive: true });
  } catch {
    return null;
  }
  const out: Record<string, string> = {};
  for (const name of names.sort()) {
    const path = join(dir, name);
    const bytes = await readFile(path).catch(() => null);
    // A folder (readFile refuses it) is recorded by its name alone.
    out[relative(dir, path)] = bytes ? createHash('sha256').update(bytes).digest('hex') : 'folder';
  }
  return out;
}
