import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRedisMajor } from '../src/redis.ts';

test('the Redis major comes from redis_version in INFO server', () => {
  assert.equal(parseRedisMajor('# Server\r\nredis_version:7.2.4\r\nredis_git_sha1:00000000\r\n'), 7);
  assert.equal(parseRedisMajor('# Server\r\nredis_version:8.0.2\r\n'), 8);
  assert.equal(parseRedisMajor('# Server\r\nredis_mode:standalone\r\n'), undefined);
});
