import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { capabilityGenerator } from '../../../generators/capability-generator.ts';
import { KIND_DEFINITIONS } from '../../../src/capabilities/kinds.ts';
import { CAPABILITIES, CAPABILITY_IDS } from '../../../src/capabilities/registry.ts';
import { helpText } from '../../../src/options.ts';
import { packageRoot } from '../../../src/paths.ts';
import { listFiles } from '../../../src/template-files.ts';

const root = packageRoot();
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

test('package.json exports every generator folder through one pattern, so a capability adds no line there', () => {
  const exports = JSON.parse(read('package.json')).exports as Record<string, unknown>;
  assert.equal(
    Object.keys(exports).filter((key) => key.startsWith('./generators/')),
    ['./generators/*'],
  );
  assert.equal(exports['./generators/*'], {
    types: './dist/generators/*/index.d.ts',
    default: './dist/generators/*/index.js',
  });
});

test('generators/ has the app folder and one folder per capability, which takes its capability from its name', async () => {
  const folders = fs
    .readdirSync(path.join(root, 'generators'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
  assert.equal(folders.sort(), ['app', ...CAPABILITY_IDS].sort());
  for (const id of CAPABILITY_IDS) {
    assert.match(read(`generators/${id}/generator.ts`), 'capabilityGenerator(import.meta.dirname)');
    const { default: Generator } = (await import(path.join(root, 'generators', id, 'index.ts'))) as {
      default: unknown;
    };
    assert.type(Generator, 'function');
  }
  assert.throws(() => capabilityGenerator('/somewhere/generators/nope'), /not named after a capability/);
});

test('each capability is one folder: its module, its versions, its templates; requires and kinds name real ones', () => {
  for (const capability of CAPABILITIES) {
    assert.ok(
      fs.existsSync(path.join(root, 'src/capabilities', capability.id, 'index.ts')),
      `src/capabilities/${capability.id}/index.ts`,
    );
    assert.ok(
      fs.existsSync(path.join(root, 'src/capabilities', capability.id, 'versions.ts')),
      `src/capabilities/${capability.id}/versions.ts`,
    );
    assert.ok(listFiles(path.join(root, 'templates', capability.id)).length > 0, `templates/${capability.id}/`);
    for (const required of capability.requires)
      assert.ok(CAPABILITY_IDS.includes(required as never), `${capability.id} requires ${required}`);
    assert.ok(capability.kinds.length > 0 && capability.kinds.every((kind) => kind in KIND_DEFINITIONS));
  }
});

test('add --help lists every capability with its help line from the registry', () => {
  const help = helpText('0.0.0', 'add');
  for (const capability of CAPABILITIES)
    assert.match(help, new RegExp(`  ${capability.id} +${capability.help.replace(/[()]/g, '.')}`));
});

/** The capability ids a list or record literal (innermost brackets or braces) names, as strings or keys. */
function listsOfIds(text: string): string[][] {
  const literals = text.match(/\[[^[\]]*\]|\{[^{}]*\}/gs) ?? [];
  return literals
    .map((literal) => CAPABILITY_IDS.filter((id) => new RegExp(`['"]${id}['"]|(^|[\\s{,])${id}:`).test(literal)))
    .filter((ids) => ids.length >= 2);
}

test('no list of capabilities is typed twice: outside src/capabilities/, no list or record names two capability ids', () => {
  const offenders: string[] = [];
  for (const dir of ['src', 'generators']) {
    for (const file of listFiles(path.join(root, dir))) {
      const relative = `${dir}/${file}`;
      // The check reads apps, not the model; the registry and the capabilities are the one place.
      if (!relative.endsWith('.ts') || relative.startsWith('src/capabilities/') || relative.startsWith('src/check/'))
        continue;
      for (const ids of listsOfIds(read(relative))) offenders.push(`${relative}: ${ids.join(', ')}`);
    }
  }
  assert.equal(offenders, []);
});

test('base templates do not branch on capability ids: they render the lists capabilities contribute', () => {
  for (const dir of ['base', 'web', 'api']) {
    for (const file of listFiles(path.join(root, 'templates', dir)).filter((name) => name.endsWith('.ejs'))) {
      const text = read(`templates/${dir}/${file}`);
      assert.not.match(text, /model\.features/, `templates/${dir}/${file}`);
    }
  }
});

test.run();
