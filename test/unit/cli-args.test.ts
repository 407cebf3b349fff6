import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseCliArgs } from '../../src/args.ts';
import { UserError } from '../../src/errors.ts';
import { detectPackageManager } from '../../src/model/package-manager.ts';
import { helpText, openQuestions, optionsFor } from '../../src/options.ts';
import { assertAnswerable, validateFlags } from '../../src/request.ts';

function userError(fn: () => unknown): UserError {
  try {
    fn();
  } catch (error) {
    assert.instance(error, UserError);
    return error as UserError;
  }
  throw new assert.Assertion({
    message: 'expected a UserError',
    generated: true,
    operator: 'throws',
    expects: '',
    actual: '',
  });
}

test('flags and the directory are parsed', () => {
  const { flags } = parseCliArgs([
    'my-api',
    '--kind',
    'api',
    '--db',
    'none',
    '-y',
    '--skip-install',
    '--package-manager=pnpm',
  ]);
  assert.equal(flags, {
    directory: 'my-api',
    kind: 'api',
    db: 'none',
    yes: true,
    skipInstall: true,
    packageManager: 'pnpm',
  });
});

test('an unknown option is a usage error naming it', () => {
  const error = userError(() => parseCliArgs(['--frobnicate']));
  assert.match(error.message, /Unknown option --frobnicate\./);
  assert.is(error.exitCode, 2);
});

test('an option missing its value says so', () => {
  assert.match(userError(() => parseCliArgs(['--kind'])).message, /--kind needs a value/);
});

test('two directories are refused', () => {
  assert.match(userError(() => parseCliArgs(['a', 'b'])).message, /Expected one directory/);
});

test('every declared option appears in the --help of each command that takes it', () => {
  for (const command of ['create', 'add', 'update'] as const) {
    const help = helpText('1.2.3', command);
    for (const option of optionsFor(command))
      assert.ok(help.includes(`--${option.name}`), `${command} --${option.name}`);
  }
  assert.not.ok(helpText('1.2.3', 'add').includes('--kind'));
});

test('add takes a capability and its own flags', () => {
  const parsed = parseCliArgs(['add', 'worker', '--cwd', 'apps/billing', '--yes']);
  assert.equal(parsed, {
    command: 'add',
    capability: 'worker',
    flags: { cwd: 'apps/billing', yes: true },
    help: false,
    version: false,
  });
});

test("add takes update's --force and --from, and its help says it merges", () => {
  const parsed = parseCliArgs(['add', 'worker', '--force', '--from', 'old.tgz', '--dry-run']);
  assert.equal(parsed, {
    command: 'add',
    capability: 'worker',
    flags: { force: true, from: 'old.tgz', dryRun: true },
    help: false,
    version: false,
  });
  assert.match(helpText('1.2.3', 'add'), /three-way merge[\s\S]*--force[\s\S]*/);
});

test('add refuses an unknown capability and a create-only flag', () => {
  assert.match(
    userError(() => parseCliArgs(['add', 'kafka'])).message,
    /Cannot add "kafka": choose one of postgres, redis, worker, error-reporting, tracing, storage, schedule\./,
  );
  assert.match(userError(() => parseCliArgs(['add', 'worker', '--kind', 'api'])).message, /Unknown option --kind/);
  assert.match(userError(() => parseCliArgs(['add'])).message, /add needs a capability/);
});

test('update takes its own flags and no arguments', () => {
  const parsed = parseCliArgs([
    'update',
    '--cwd',
    'apps/billing',
    '--check',
    '--dry-run',
    '--force',
    '--from',
    'old.tgz',
    '--skip-install',
  ]);
  assert.equal(parsed, {
    command: 'update',
    flags: { cwd: 'apps/billing', check: true, dryRun: true, force: true, from: 'old.tgz', skipInstall: true },
    help: false,
    version: false,
  });
  assert.is(userError(() => parseCliArgs(['update', 'apps/billing'])).exitCode, 2);
  assert.match(
    userError(() => parseCliArgs(['update', '--kind', 'api'])).message,
    /Unknown option --kind\. Run create-twelve-app update --help/,
  );
});

test('an unknown kind lists the valid ones', () => {
  assert.match(userError(() => validateFlags({ kind: 'lambda' })).message, /--kind must be one of api, worker, client/);
});

test('--db is refused for a client, which reaches data through its API', () => {
  assert.match(
    userError(() => validateFlags({ kind: 'client', db: 'postgres' })).message,
    /--db applies to --kind api or worker only: a client reaches its data through the API it calls/,
  );
});

test('--answer without --template is refused', () => {
  assert.match(
    userError(() => validateFlags({ answer: ['team=x'] })).message,
    /--answer answers a house template's questions: pass --template too/,
  );
});

test('--answer may be repeated, and template init takes one name', () => {
  assert.equal(parseCliArgs(['x', '--template', './h', '--answer', 'a=1', '--answer=b=2']).flags, {
    directory: 'x',
    template: './h',
    answer: ['a=1', 'b=2'],
  });
  assert.equal(parseCliArgs(['template', 'init', '@acme/house']), {
    command: 'template',
    action: 'init',
    name: '@acme/house',
    flags: {},
    help: false,
    version: false,
  });
  assert.match(userError(() => parseCliArgs(['template', 'init'])).message, /template init needs a package name/);
  assert.match(
    userError(() => parseCliArgs(['template', 'publish', 'x'])).message,
    /Unknown template action "publish"/,
  );
  assert.is(userError(() => parseCliArgs(['template', 'init', '--kind', 'api'])).exitCode, 2);
});

test('an invalid package name is refused with the reason', () => {
  assert.match(userError(() => validateFlags({ name: 'My App' })).message, /"My App" is not a valid npm package name/);
});

test('without a TTY and without --yes, the open questions are named as flags', () => {
  const error = userError(() => assertAnswerable({ directory: 'x' }, false));
  assert.match(error.message, /pass --kind, --db, --error-reporting, or --yes/);
});

test('without a TTY, flags that answer everything need no --yes', () => {
  assertAnswerable({ directory: 'x', kind: 'api', db: 'none', errorReporting: 'none' }, false);
});

test('the db question is not asked for kinds other than api', () => {
  assert.equal(
    openQuestions({ kind: 'worker' }).map((option) => option.name),
    ['error-reporting'],
  );
  assert.equal(
    openQuestions({}).map((option) => option.name),
    ['kind', 'db', 'error-reporting'],
  );
});

test('--error-reporting takes sentry or none', () => {
  assert.match(
    userError(() => validateFlags({ errorReporting: 'bugsnag' })).message,
    /--error-reporting must be one of sentry, none \(got "bugsnag"\)/,
  );
  validateFlags({ errorReporting: 'none' });
});

test('the package manager that ran us is the default', () => {
  assert.equal(detectPackageManager('pnpm/12.21.0 npm/? node/v24.21.0 linux x64'), {
    name: 'pnpm',
    version: '12.21.0',
  });
  assert.equal(detectPackageManager(undefined), { name: 'npm' });
  assert.equal(detectPackageManager('bun/1.2.0'), { name: 'npm' });
});

const npmCreate = { npm_config_user_agent: 'npm/11.6.0 node/v24.11.0 linux x64 workspaces/false', npm_command: 'init' };

test('under npm create, options npm kept as its config are read back, values split off by npm included', () => {
  // npm create twelve-app my-api --kind worker --db none --yes --skip-git --answer team=core
  const env = {
    ...npmCreate,
    npm_config_kind: 'true',
    npm_config_db: 'true',
    npm_config_yes: 'true',
    npm_config_skip_git: 'true',
    npm_config_answer: 'true',
  };
  const { flags } = parseCliArgs(['my-api', 'worker', 'none', 'team=core'], env);
  assert.equal(flags, {
    directory: 'my-api',
    kind: 'worker',
    db: 'none',
    answer: ['team=core'],
    yes: true,
    skipGit: true,
  });
});

test('under npm create, --name=value arrives whole, typed flags win over npm config, and a directory named like a choice stays one', () => {
  const env = { ...npmCreate, npm_config_name: 'svc', npm_config_kind: 'true', npm_config_package_manager: 'pnpm' };
  const { flags } = parseCliArgs(['api', 'worker', '--package-manager', 'npm'], env);
  assert.equal(flags, { directory: 'api', kind: 'worker', name: 'svc', packageManager: 'npm' });
});

test('under npm create, a free-form value npm split off is refused with the two ways to write it', () => {
  const error = userError(() => parseCliArgs(['my-api', './house'], { ...npmCreate, npm_config_template: 'true' }));
  assert.match(
    error.message,
    /npm took --template as its own option .*write --template=package\|path\|tarball, or put -- before our options/,
  );
  assert.is(error.exitCode, 2);
});

test('npm config is ignored outside npm exec/init, and npx -y is not our --yes', () => {
  const env = { ...npmCreate, npm_command: 'test', npm_config_kind: 'worker' };
  assert.equal(parseCliArgs(['my-api'], env).flags, { directory: 'my-api' });
  assert.equal(parseCliArgs(['my-api'], { ...npmCreate, npm_command: 'exec', npm_config_yes: 'true' }).flags, {
    directory: 'my-api',
  });
  assert.equal(
    parseCliArgs(['my-api'], { npm_command: 'init', npm_config_user_agent: 'pnpm/10.0.0', npm_config_kind: 'worker' })
      .flags,
    { directory: 'my-api' },
  );
});

test.run();
