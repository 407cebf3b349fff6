/**
 * `check` on a repository an attacker controls (issue 21): it reads only regular files inside the
 * repository, never follows a link out of it, never opens a device, and still finds a credential in a
 * file too large to parse; what it left unread is reported as a note.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkApp } from '../../src/check/check.ts';
import { layOut } from '../support/check-fixtures.ts';
import { tempDir } from '../support/scaffold.ts';

function commit(dir: string): void {
  execFileSync('git', ['add', '-A'], { cwd: dir });
}

test('a tracked link to /dev/zero does not hang: special files are skipped and noted', async () => {
  const dir = layOut(undefined);
  fs.symlinkSync('/dev/zero', path.join(dir, 'src', 'zero.js'));
  fs.symlinkSync('/dev/null', path.join(dir, 'Procfile.dev'));
  // A link inside the repository that leads to a device through another link.
  fs.mkdirSync(path.join(dir, 'dev'));
  fs.symlinkSync('/dev/zero', path.join(dir, 'dev', 'zero'));
  fs.symlinkSync('../dev/zero', path.join(dir, 'src', 'zero-again.js'));
  commit(dir);
  const started = performance.now();
  const report = await checkApp({ directory: dir });
  assert.ok(performance.now() - started < 10_000, 'finishes');
  const codebase = report.factors.find((factor) => factor.id === 'codebase')!;
  assert.is(codebase.status, 'pass');
  const note = codebase.findings.find((finding) => finding.ruleId === 'codebase/unread-files');
  assert.ok(note && note.severity === 'note', JSON.stringify(codebase));
  assert.match(
    note.message,
    /^4 tracked paths were not read: 4 links out of the repository \(Procfile\.dev, dev\/zero, src\/zero-again\.js, …\)\.$/,
  );
  assert.equal(note.items, ['Procfile.dev', 'dev/zero', 'src/zero-again.js', 'src/zero.js']);
  assert.equal(report.summary, { pass: 12, warn: 0, fail: 0 });
});

test('links out of the repository are not followed, even for the files check reads by name', async () => {
  const outside = tempDir('check-outside');
  fs.writeFileSync(
    path.join(outside, 'secret.js'),
    "export const url = 'postgres://app:Sup3rS3cret@db.internal/app';\n",
  );
  fs.writeFileSync(path.join(outside, 'Procfile'), 'web: nohup node server.js &\n');
  const dir = layOut(undefined);
  fs.symlinkSync(path.join(outside, 'secret.js'), path.join(dir, 'src', 'secret.js'));
  fs.rmSync(path.join(dir, 'Procfile'));
  fs.symlinkSync(path.join(outside, 'Procfile'), path.join(dir, 'Procfile'));
  fs.symlinkSync(outside, path.join(dir, 'vendored'));
  commit(dir);
  const report = await checkApp({ directory: dir });
  const all = report.factors.flatMap((factor) => factor.findings);
  assert.not.ok(
    all.some((finding) => /Sup3rS3cret|daemonizes/.test(finding.message) || finding.file === 'src/secret.js'),
    JSON.stringify(all),
  );
  const note = all.find((finding) => finding.ruleId === 'codebase/unread-files')!;
  assert.is(
    note.message,
    '3 tracked paths were not read: 3 links out of the repository (Procfile, src/secret.js, vendored).',
  );
});

test('a link inside the repository to a regular file is read like the file', async () => {
  const dir = layOut(undefined);
  fs.mkdirSync(path.join(dir, 'lib'));
  fs.writeFileSync(path.join(dir, 'lib', 'keys.js'), "export const key = 'AKIAABCDEFGHIJKLMNOP';\n");
  fs.symlinkSync('../lib/keys.js', path.join(dir, 'src', 'keys.js'));
  commit(dir);
  const report = await checkApp({ directory: dir });
  const config = report.factors.find((factor) => factor.id === 'config')!;
  assert.equal(config.findings.map((finding) => finding.file).sort(), ['lib/keys.js', 'src/keys.js']);
});

test('a credential padded into a 1.1 MB file is still found (streamed), and the unparsed file is noted', async () => {
  const dir = layOut(undefined);
  const padding = `${'// padding padding padding padding padding padding padding padding padding\n'.repeat(14_500)}`;
  assert.ok(padding.length > 1_050_000);
  fs.writeFileSync(
    path.join(dir, 'src', 'bundle.js'),
    `${padding}export const db = 'postgres://app:hunter2-Prod@db.internal:5432/app';\n`,
  );
  commit(dir);
  const report = await checkApp({ directory: dir });
  const config = report.factors.find((factor) => factor.id === 'config')!;
  assert.is(config.status, 'fail');
  assert.equal(
    config.findings.map((finding) => [finding.ruleId, finding.file, finding.line, finding.message]),
    [
      [
        'config/hard-coded-credential',
        'src/bundle.js',
        14_501,
        'A credential is written in the source: a URL with a password.',
      ],
    ],
  );
  const note = report.factors.find((factor) => factor.id === 'codebase')!.findings[0]!;
  assert.match(
    note.message,
    /^1 source file was too large to parse \(over 256 KiB: bundles, generated code\) and only searched for credentials: src\/bundle\.js\.$/,
  );
});

test('a credential split across the streamed chunks is found once, at its line', async () => {
  const dir = layOut(undefined);
  // 1 MiB chunks: put the key across the first boundary.
  const head = 'x'.repeat(2 ** 20 - 10);
  fs.writeFileSync(
    path.join(dir, 'src', 'big.js'),
    `//${head}\nconst k = 'AKIAABCDEFGHIJKLMNOP';\n${'//\n'.repeat(10)}`,
  );
  commit(dir);
  const report = await checkApp({ directory: dir });
  const config = report.factors.find((factor) => factor.id === 'config')!;
  assert.equal(
    config.findings.map((finding) => [finding.file, finding.line]),
    [['src/big.js', 2]],
  );
});

test.run();
