import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from './scaffold.ts';

/** A small file tree in a fresh temp dir (removed when the test process ends): `{ 'a/b.txt': 'x' }`. */
export function tree(files: Record<string, string>, label = 'unit'): string {
  const root = tempDir(label);
  for (const [file, contents] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), contents);
  }
  return root;
}
