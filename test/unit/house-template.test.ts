import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { contributions } from '../../src/app-model.ts';
import { UserError } from '../../src/errors.ts';
import {
  answersFromFlags,
  applyTemplateOptions,
  checkLocked,
  openPrompts,
  promptDefaults,
} from '../../src/house-template/answers.ts';
import { configVar, houseContribution } from '../../src/house-template/contribution.ts';
import { entryProblem, refetchTemplate } from '../../src/house-template/fetch.ts';
import { houseFiles, pathProblem } from '../../src/house-template/files.ts';
import { houseTemplateFiles, initTemplate } from '../../src/house-template/init.ts';
import { checkCompatible, parseManifest, parseManifestText } from '../../src/house-template/manifest.ts';
import { refusal } from '../support/failure.ts';
import { apiSpec } from '../support/spec.ts';
import { tree } from '../support/tree.ts';

const manifestError = (raw: unknown) => refusal(() => parseManifest(raw, 'twelve-template.json'));

test('an empty manifest is valid, with every field defaulted', () => {
  assert.equal(parseManifest({}, 'm'), {
    defaults: {},
    locked: [],
    prompts: [],
    dependencies: {},
    devDependencies: {},
    config: [],
  });
});

test('a malformed manifest names the field', () => {
  assert.match(manifestError({ defaults: { kind: 'desktop' } }), /^twelve-template\.json: defaults\.kind /);
  assert.match(manifestError({ defaults: { name: 'x' } }), /defaults\.name is not a manifest field/);
  assert.match(manifestError({ colour: 'blue' }), /: colour is not a manifest field\.$/);
  assert.match(manifestError({ locked: ['db'] }), /locked\[0\] locks db, so defaults\.db must give its value/);
  assert.match(
    manifestError({ dependencies: { pino: '^10.0.0' } }),
    /dependencies\.pino must be an exact version such as 1\.2\.3, not a range/,
  );
  assert.match(
    manifestError({ dependencies: { 'Not Valid': '1.0.0' } }),
    /dependencies\.Not Valid is not a valid npm package name/,
  );
  assert.match(manifestError({ createTwelveApp: 'soon' }), /createTwelveApp must be a semver range/);
  assert.match(manifestError({ prompts: [{ name: 'team', message: 'Team?' }] }), /prompts\[0\]\.default /);
  assert.match(
    manifestError({ prompts: [{ name: 'tier', type: 'select', message: 'Tier?', default: 'gold' }] }),
    /prompts\[0\]\.choices is required for a select prompt/,
  );
  assert.match(
    manifestError({ prompts: [{ name: 'x-y', message: 'X?', default: '' }] }),
    /prompts\[0\]\.name must be an identifier/,
  );
  assert.match(
    manifestError({
      prompts: [
        { name: 'a', message: 'A?', default: '' },
        { name: 'a', message: 'A?', default: '' },
      ],
    }),
    /prompts\[1\]\.name declares "a" twice/,
  );
  assert.match(
    manifestError({ config: [{ name: 'api_key', description: 'd', example: 'x' }] }),
    /config\[0\]\.name must be an environment variable name/,
  );
  assert.match(
    manifestError({ config: [{ name: 'N', description: 'd', example: "it's" }] }),
    /config\[0\]\.example must not contain quotes/,
  );
  assert.match(
    manifestError({ config: [{ name: 'N', description: 'd', example: '11', type: 'integer', max: 10 }] }),
    /config\[0\]\.example must be between min and max/,
  );
  assert.match(
    manifestError({ config: [{ name: 'N', description: 'd', example: 'x', type: 'enum' }] }),
    /config\[0\]\.choices is required for type enum/,
  );
  assert.match(
    manifestError({ config: [{ name: 'N', description: 'd', example: 'x', secret: true, public: true }] }),
    /config\[0\]\.public cannot be true for a secret/,
  );
  assert.match(manifestError([]), /twelve-template\.json: \(the manifest\) /);
  assert.match(
    refusal(() => parseManifestText('{', 'twelve-template.json')),
    /twelve-template\.json is not valid JSON/,
  );
});

test('a template needing a newer create-twelve-app says so', () => {
  const manifest = parseManifest({ createTwelveApp: '>=2.0.0' }, 'm');
  assert.match(
    refusal(() => checkCompatible(manifest, '@acme/house', '1.4.0')),
    /@acme\/house needs create-twelve-app >=2\.0\.0, and this is 1\.4\.0/,
  );
  checkCompatible(manifest, '@acme/house', '2.1.0');
});

test('paths that would leave the app are refused: .., absolute, empty segments', () => {
  assert.is(pathProblem('src/app.ts'), undefined);
  assert.match(pathProblem('../x')!, /\.\./);
  assert.match(pathProblem('a/../../x')!, /\.\./);
  assert.match(pathProblem('/etc/passwd')!, /absolute/);
  assert.match(pathProblem('C:\\x')!, /absolute/);
  assert.match(pathProblem('a//b')!, /empty/);
});

test('tarball entries are checked before unpacking: .., absolute, links leading out', () => {
  assert.is(entryProblem('package/templates/a.ts', 'File', undefined), undefined);
  assert.is(entryProblem('package/templates/link', 'SymbolicLink', 'a.ts'), undefined);
  assert.match(entryProblem('package/../../evil', 'File', undefined)!, /\.\./);
  assert.match(entryProblem('/etc/cron.d/x', 'File', undefined)!, /absolute/);
  assert.match(entryProblem('package/templates/link', 'SymbolicLink', '../../../etc/passwd')!, /link pointing outside/);
  assert.match(entryProblem('package/templates/link', 'SymbolicLink', '/etc/passwd')!, /link pointing outside/);
  assert.match(entryProblem('package/templates/hard', 'Link', '../outside')!, /link pointing outside/);
});

test('house files are named like built-in ones, and refused when they would escape or take a reserved file', () => {
  const root = tree({ 'templates/_gitignore': '', 'templates/src/x.ts.ejs': '', 'templates/docs/a.md': '' });
  assert.equal(
    houseFiles(root, 'h').map((file) => [file.name, file.destination, file.render]),
    [
      ['templates/_gitignore', '.gitignore', false],
      ['templates/docs/a.md', 'docs/a.md', false],
      ['templates/src/x.ts.ejs', 'src/x.ts', true],
    ],
  );
  assert.match(
    refusal(() => houseFiles(tree({ 'templates/_./_./x': '' }), 'h')),
    /templates\/_\.\/_\.\/x, which would land outside the app/,
  );
  assert.match(
    refusal(() => houseFiles(tree({ 'templates/_yo-rc.json': '' }), 'h')),
    /would overwrite \.yo-rc\.json/,
  );
  assert.match(
    refusal(() => houseFiles(tree({ 'templates/_git/hooks/post-commit': '' }), 'h')),
    /would overwrite \.git\/hooks\/post-commit/,
  );
  assert.equal(houseFiles(tree({ 'package.json': '{}' }), 'h'), []);
});

test('a symbolic link is followed inside the template and refused when it points outside', () => {
  const outside = tree({ 'secret.txt': 'secret' });
  const root = tree({ 'templates/a.md': 'a' });
  fs.symlinkSync('a.md', path.join(root, 'templates/b.md'));
  assert.equal(
    houseFiles(root, 'h').map((file) => file.destination),
    ['a.md', 'b.md'],
  );
  fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'templates/c.md'));
  assert.match(
    refusal(() => houseFiles(root, 'h')),
    /templates\/c\.md, which is a symbolic link pointing outside the template/,
  );
});

test('manifest config variables become model variables with a schema, an error and an invalid value', () => {
  const [string, integer, bool, url, choice] = parseManifest(
    {
      config: [
        { name: 'TENANT', description: 'd', example: 'acme', default: 'acme' },
        { name: 'RETRIES', description: 'd', example: '3', default: '3', type: 'integer', min: 1, max: 9 },
        { name: 'PAGER', description: 'd', example: 'false', default: 'false', type: 'boolean' },
        { name: 'ACME_URL', description: 'd', example: 'https://acme.test', type: 'url', secret: true },
        { name: 'TIER', description: 'd', example: 'gold', type: 'enum', choices: ['gold', 'silver'], public: true },
      ],
    },
    'm',
  ).config.map(configVar);
  assert.equal(string, {
    name: 'TENANT',
    description: 'd',
    example: 'acme',
    default: 'acme',
    secret: false,
    schema: 'z.string()',
    type: 'string',
    error: 'must be a string',
  });
  assert.equal(
    [integer!.schema, integer!.type, integer!.error, integer!.invalid],
    ['integer(1, 9)', 'number', 'must be an integer between 1 and 9', 'not-a-number'],
  );
  assert.equal([bool!.schema, bool!.type, bool!.invalid], ['boolean()', 'boolean', 'maybe']);
  assert.equal([url!.schema, url!.secret, url!.default], ['z.url()', true, undefined]);
  assert.equal(
    [choice!.schema, choice!.error, choice!.invalid, choice!.public],
    ["z.enum(['gold', 'silver'])", 'must be one of gold, silver', '?', true],
  );
  assert.is(string!.public, undefined);
});

test('a house template adds to the model but may not redefine a pinned package or a declared variable', () => {
  const builtIn = contributions(apiSpec());
  const added = houseContribution(
    parseManifest(
      { dependencies: { 'left-pad': '1.3.0' }, config: [{ name: 'TENANT', description: 'd', example: 'a' }] },
      'm',
    ),
    'h',
    builtIn,
  );
  assert.equal(added.dependencies, { 'left-pad': '1.3.0' });
  assert.equal(
    added.config!.map((variable) => variable.name),
    ['TENANT'],
  );
  const pino = builtIn.find((part) => part.dependencies?.pino)!.dependencies!.pino!;
  houseContribution(parseManifest({ dependencies: { pino } }, 'm'), 'h', builtIn);
  assert.match(
    refusal(() => houseContribution(parseManifest({ dependencies: { pino: '1.0.0' } }, 'm'), 'h', builtIn)),
    /dependencies\.pino asks for 1\.0\.0, and create-twelve-app pins/,
  );
  assert.match(
    refusal(() =>
      houseContribution(
        parseManifest({ config: [{ name: 'PORT', description: 'd', example: '1' }] }, 'm'),
        'h',
        builtIn,
      ),
    ),
    /config\[0\]\.name PORT is already a variable of the app/,
  );
});

test('locked options refuse their flag; defaults answer questions and run options unless a flag does', () => {
  const manifest = parseManifest(
    { defaults: { kind: 'worker', db: 'postgres', 'skip-git': true, 'package-manager': 'pnpm' }, locked: ['db'] },
    'm',
  );
  assert.match(
    refusal(() => checkLocked({ db: 'none' }, manifest, '@acme/house')),
    /^--db is locked to postgres by the house template @acme\/house: run without --db\.$/,
  );
  checkLocked({ kind: 'api' }, manifest, '@acme/house');
  assert.equal(applyTemplateOptions({ kind: 'api' }, manifest), {
    flags: { kind: 'api', skipGit: true, packageManager: 'pnpm' },
    given: { kind: 'api', db: 'postgres' },
    defaults: { kind: 'worker', db: 'postgres' },
  });
  assert.equal(applyTemplateOptions({ packageManager: 'npm' }, manifest).flags.packageManager, 'npm');
});

test('--answer flags are checked against the prompts; the rest take their defaults', () => {
  const { prompts } = parseManifest(
    {
      prompts: [
        { name: 'team', message: 'Team?', default: 'platform' },
        { name: 'tier', type: 'select', message: 'Tier?', choices: ['gold', 'silver'], default: 'silver' },
        { name: 'pager', type: 'confirm', message: 'Page?', default: false },
      ],
    },
    'm',
  );
  const answers = answersFromFlags(['team=pay=ments', 'pager=true'], prompts, 'h');
  assert.equal(answers, { team: 'pay=ments', pager: true });
  assert.equal(
    openPrompts(prompts, answers).map((prompt) => prompt.name),
    ['tier'],
  );
  assert.equal(promptDefaults(prompts), { team: 'platform', tier: 'silver', pager: false });
  assert.match(
    refusal(() => answersFromFlags(['colour=red'], prompts, 'h')),
    /asks no question "colour" \(it asks team, tier, pager\)/,
  );
  assert.match(
    refusal(() => answersFromFlags(['team'], prompts, 'h')),
    /give it as name=value/,
  );
  assert.match(
    refusal(() => answersFromFlags(['tier=bronze'], prompts, 'h')),
    /tier must be one of gold, silver/,
  );
  assert.match(
    refusal(() => answersFromFlags(['pager=yes'], prompts, 'h')),
    /answer true or false/,
  );
});

test('template init renders its own files but copies templates/ for later', () => {
  const files = houseTemplateFiles('@acme/house', 'house');
  assert.equal([...files.keys()].sort(), [
    '.gitignore',
    'README.md',
    'package.json',
    'templates/docs/ownership.md.ejs',
    'test/template.test.mjs',
    'twelve-template.json',
  ]);
  assert.match(String(files.get('README.md')), /^# @acme\/house$/m);
  assert.match(String(files.get('README.md')), /Owning team: <%= answers\.team %>/);
  assert.match(String(files.get('templates/docs/ownership.md.ejs')), /<%= answers\.team %>/);
  const manifest = parseManifestText(String(files.get('twelve-template.json')), 'm');
  assert.equal(manifest.defaults, { kind: 'api', db: 'postgres' });
  assert.equal(JSON.parse(String(files.get('package.json'))).name, '@acme/house');
});

test('template init writes the package into ./<name without scope>, and refuses a folder in use', () => {
  const cwd = tree({ 'house/keep.txt': 'mine' });
  assert.match(
    refusal(() => initTemplate('@acme/house', cwd)),
    /house already exists and is not empty: choose another name/,
  );
  assert.is(fs.readFileSync(path.join(cwd, 'house/keep.txt'), 'utf8'), 'mine');
  const made = initTemplate('@acme/other', cwd);
  assert.is(made.directory, path.join(cwd, 'other'));
  assert.ok(made.files.every((file) => fs.existsSync(path.join(cwd, 'other', file))));
  assert.match(
    refusal(() => initTemplate('Not Valid', cwd)),
    /"Not Valid" is not a valid npm package name for the template/,
  );
});

test('a recorded folder that is gone is a clear error for add', async () => {
  const app = tree({ 'package.json': '{}' });
  const ref = {
    name: '@acme/house',
    version: '1.0.0',
    source: '../gone-house',
    type: 'directory' as const,
    answers: {},
  };
  try {
    await refetchTemplate(ref, app);
    assert.unreachable('expected a UserError');
  } catch (error) {
    assert.instance(error, UserError);
    assert.match(
      (error as Error).message,
      /generated from the house template @acme\/house at \.\.\/gone-house \(relative to the app, in \.yo-rc\.json\), which is not there any more/,
    );
  }
});

test.run();
