import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scrubEvent } from '../src/scrub.ts';

test('drops credential headers and cookies from an error report', () => {
  const event = {
    request: {
      url: 'http://localhost/notes',
      headers: { Authorization: 'Bearer abc', cookie: 'session=1', 'x-request-id': 'req-1' },
      cookies: { session: '1' },
    },
  };
  assert.deepEqual(scrubEvent(event, []), { request: { url: 'http://localhost/notes', headers: { 'x-request-id': 'req-1' } } });
});

test('replaces secret config values wherever they appear', () => {
  const secret = 'postgres://app:hunter2@db.internal/app';
  const event = { message: `cannot reach ${secret}`, exception: { values: [{ value: 'password hunter2 rejected' }] } };
  const scrubbed = scrubEvent(event, [secret, 'hunter2']);
  assert.equal(JSON.stringify(scrubbed).includes('hunter2'), false);
  assert.equal(scrubbed.message, 'cannot reach [Filtered]');
});
