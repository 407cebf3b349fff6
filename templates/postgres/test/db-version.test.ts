import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePostgresMajor } from '../src/db-version.ts';

test('the PostgreSQL major is server_version_num divided by 10000', () => {
  assert.equal(parsePostgresMajor('150004'), 15);
  assert.equal(parsePostgresMajor('180001'), 18);
  assert.equal(parsePostgresMajor('15.4'), undefined);
  assert.equal(parsePostgresMajor(undefined), undefined);
});
