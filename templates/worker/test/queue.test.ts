import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseJobArgs, parsePayload } from '../src/queue.ts';

test('parses a job name and its JSON payload', () => {
  assert.deepEqual(parseJobArgs(['example', '{"delayMs":250}']), {
    ok: true,
    value: { name: 'example', payload: { delayMs: 250 } },
  });
});

test('an omitted payload is an empty object', () => {
  assert.deepEqual(parseJobArgs(['example']), { ok: true, value: { name: 'example', payload: {} } });
});

test('rejects each mistake with one sentence', () => {
  const problem = (args: string[]) => {
    const parsed = parseJobArgs(args);
    assert.ok(!parsed.ok, `expected ${JSON.stringify(args)} to be rejected`);
    assert.match(parsed.problem, /^[^\n]+\.$/, 'one line, one sentence');
    return parsed.problem;
  };
  assert.match(problem([]), /^Usage: npm run enqueue -- <job> \[json-payload\]/);
  assert.match(problem(['example', '{}', 'extra']), /^Usage:/);
  assert.equal(problem(['sendEmail']), 'Unknown job "sendEmail": the jobs are example.');
  assert.match(problem(['constructor']), /^Unknown job "constructor"/);
  assert.match(problem(['example', '{delayMs:1}']), /^The payload is not valid JSON/);
  assert.match(problem(['example', '[1]']), /^The payload of job "example" is invalid/);
  assert.match(problem(['example', '{"delayMs":"soon"}']), /invalid: delayMs:/);
  assert.match(problem(['example', '{"delayMs":-1}']), /invalid: delayMs:/);
  assert.match(problem(['example', '{"other":1}']), /invalid/);
});

test('never echoes the payload in a problem', () => {
  const secret = '{"delayMs":"hunter2"';
  for (const args of [['example', secret], ['example', `${secret}}`]]) {
    const parsed = parseJobArgs(args);
    assert.ok(!parsed.ok);
    assert.doesNotMatch(parsed.problem, /hunter2/);
  }
});

test('the worker applies the same check to what it reads back', () => {
  assert.deepEqual(parsePayload('example', { delayMs: 0 }), { ok: true, value: { delayMs: 0 } });
  assert.equal(parsePayload('example', { delayMs: 1.5 }).ok, false);
});
