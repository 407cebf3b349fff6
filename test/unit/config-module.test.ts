import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildModel } from '../../src/app-model.ts';
import { configEntries } from '../../src/projections/config-module.ts';
import { apiSpec } from '../support/spec.ts';

const entries = configEntries(buildModel(apiSpec()));
const byName = (name: string) => entries.find((entry) => entry.name === name);

test('defaults are written as typed literals around the schema (zod/mini)', () => {
  assert.is(byName('PORT')?.schema, 'z._default(integer(1, 65_535), 3000)');
  assert.is(byName('LOG_HEALTH_PROBES')?.schema, 'z._default(boolean(), false)');
  assert.is(byName('HOST')?.schema, "z._default(z.string(), '0.0.0.0')");
});

test('a required variable has no default and is marked required', () => {
  const url = byName('DATABASE_URL');
  assert.ok(url?.required);
  assert.is(url?.defaultLiteral, undefined);
  assert.not.match(url?.schema ?? '', /default/);
});

test('every optional variable has an invalid example for the generated config tests', () => {
  const missing = entries.filter((entry) => !entry.required && entry.invalid === undefined).map((entry) => entry.name);
  // HOST accepts any string: there is nothing invalid to show.
  assert.equal(missing, ['HOST']);
});

test('every entry keeps the model order, so .env.example and config.ts list variables alike', () => {
  assert.equal(
    entries.map((entry) => entry.name),
    buildModel(apiSpec()).config.map((variable) => variable.name),
  );
});

test.run();
