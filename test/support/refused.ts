import * as assert from 'uvu/assert';

/** A refusal as users must see it: one clear sentence, a non-zero exit, no stack trace. */
export function assertRefused(
  result: { exitCode?: number | undefined; stderr: unknown; stdout: unknown },
  message: RegExp,
) {
  const stderr = String(result.stderr);
  assert.ok(result.exitCode !== 0, `exit code was ${result.exitCode}`);
  assert.match(stderr, message);
  assert.not.match(stderr, /\n\s+at /, 'stderr has a stack trace');
  assert.is(stderr.trim().split('\n').length, 1, `more than one line on stderr:\n${stderr}`);
}
