import fs from 'node:fs';
import path from 'node:path';
import { TOKEN_FORMATS } from './secrets.ts';
import type { Located } from './source.ts';

/**
 * Source files over this many bytes are not parsed, only searched for credentials: hand-written modules
 * are far smaller, bundles and generated code (a CDN build, a minified file) are not, and parsing them
 * them costs more than everything else check does with a file.
 */
export const PARSE_LIMIT = 256 * 1024;
/** How much of one large file is searched: bounds the time a hostile repository can cost. */
export const SCAN_LIMIT = 256 * 2 ** 20;
const CHUNK = 2 ** 20;
/** Kept from the end of one chunk to the start of the next, so a credential split across them is found. */
const OVERLAP = 4096;

/** A password in a URL anywhere in a line: `scheme://user:password@host`. */
const URL_PASSWORD_ANYWHERE = /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@'"`]*:([^\s/@'"`$]+)@[^\s/'"`]/gi;

/**
 * Searches a file too large to parse for credentials, reading it in chunks (memory stays at about two
 * chunks whatever the size); the line of each match is counted along the way. A minified bundle may
 * contain a credential as easily as a source file can, and padding a file past the parse limit must not
 * hide one.
 */
export async function scanForCredentials(dir: string, file: string): Promise<Array<Located & { what: string }>> {
  const found: Array<Located & { what: string }> = [];
  const seen = new Set<string>();
  const stream = fs.createReadStream(path.join(dir, file), {
    encoding: 'utf8',
    highWaterMark: CHUNK,
    end: SCAN_LIMIT - 1,
  });
  let carry = '';
  /** Lines before `carry` starts. */
  let linesBefore = 0;
  for await (const chunk of stream as AsyncIterable<string>) {
    const text = carry + chunk;
    const search = (pattern: RegExp, what: (match: RegExpExecArray) => string | undefined) => {
      const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
      for (let match = global.exec(text); match !== null; match = global.exec(text)) {
        const label = what(match);
        if (label === undefined) continue;
        const line = linesBefore + countLines(text, match.index) + 1;
        const key = `${line}:${label}`;
        if (!seen.has(key)) {
          seen.add(key);
          found.push({ file, line, what: label });
        }
      }
    };
    for (const [pattern, what] of TOKEN_FORMATS) search(pattern, () => what);
    search(URL_PASSWORD_ANYWHERE, (match) =>
      /^(?:password|pass|changeme|secret)$/i.test(match[1] ?? '') ? undefined : 'a URL with a password',
    );
    carry = text.length > OVERLAP ? text.slice(-OVERLAP) : text;
    linesBefore += countLines(text, text.length - carry.length);
    if (found.length >= 100) break;
  }
  stream.destroy();
  return found;
}

function countLines(text: string, end: number): number {
  let lines = 0;
  for (let index = text.indexOf('\n'); index !== -1 && index < end; index = text.indexOf('\n', index + 1)) lines += 1;
  return lines;
}
