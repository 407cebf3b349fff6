import { KIND_DEFINITIONS } from './capabilities/kinds.ts';
import { CAPABILITIES } from './capabilities/registry.ts';
import { FACTORS } from './check/types.ts';
import { DATABASES, ERROR_REPORTERS, KINDS, PACKAGE_MANAGERS } from './model/types.ts';

/**
 * Every option, declared once: the argument parser, `--help`, the generator's prompts and the
 * "no TTY, pass these flags" message are all built from this table, so they cannot drift apart.
 */
export type Command = 'create' | 'add' | 'update' | 'template' | 'check' | 'fleet';

export interface OptionSpec {
  name: string;
  /** The commands that accept it; `create` when absent. */
  commands?: readonly Command[];
  short?: string;
  type: 'string' | 'boolean';
  /** May be given more than once (`--answer a=1 --answer b=2`). */
  multiple?: boolean;
  choices?: readonly string[];
  /** Shown in --help after the flag, e.g. `<name>`. */
  valueName?: string;
  description: string;
  /** Asked interactively when the flag was not given (and skipped with --yes, taking `default`). */
  question?: {
    message: string;
    default: string;
    /** Asked only when this returns true for the answers so far. */
    when?: (answers: Partial<Answers>) => boolean;
  };
}

/** Where a new app goes when neither the argument nor the prompt says: a name that fits every kind. */
export const DEFAULT_DIRECTORY = 'twelve-app';

export interface Answers {
  kind: string;
  db: string;
  'error-reporting': string;
}

export const OPTIONS: readonly OptionSpec[] = [
  {
    name: 'kind',
    type: 'string',
    choices: KINDS,
    valueName: `<${KINDS.join('|')}>`,
    description: 'what is being built',
    question: { message: 'What are you building?', default: 'api' },
  },
  {
    name: 'db',
    type: 'string',
    choices: DATABASES,
    valueName: `<${DATABASES.join('|')}>`,
    description: 'backing database for an api (default postgres)',
    question: {
      message: 'Which database does it use?',
      default: 'postgres',
      when: (answers) => answers.kind === 'api',
    },
  },
  {
    name: 'error-reporting',
    type: 'string',
    choices: ERROR_REPORTERS,
    valueName: `<${ERROR_REPORTERS.join('|')}>`,
    description: 'where unhandled errors are reported (default sentry, sent only when SENTRY_DSN is set)',
    question: { message: 'Where should errors be reported?', default: 'sentry' },
  },
  {
    name: 'name',
    type: 'string',
    valueName: '<name>',
    description: "npm package name (default: the directory's name)",
  },
  {
    name: 'name',
    commands: ['add'],
    type: 'string',
    valueName: '<task>',
    description: "add schedule: the task's name (src/tasks/<task>.ts)",
  },
  {
    name: 'cron',
    commands: ['add'],
    type: 'string',
    valueName: '"<expression>"',
    description: 'add schedule: when the task runs, five cron fields ("0 2 * * *") or a macro (@daily)',
  },
  {
    name: 'timezone',
    commands: ['add'],
    type: 'string',
    valueName: '<tz>',
    description: 'add schedule: the IANA time zone of --cron (default UTC)',
  },
  {
    name: 'package-manager',
    type: 'string',
    choices: PACKAGE_MANAGERS,
    valueName: `<${PACKAGE_MANAGERS.join('|')}>`,
    description: 'default: the one that ran us, else npm',
  },
  {
    name: 'template',
    commands: ['create', 'update'],
    type: 'string',
    valueName: '<package|path|tarball>',
    description: 'a house template: an npm package (name@range), a folder or a tarball',
  },
  {
    name: 'answer',
    type: 'string',
    multiple: true,
    valueName: '<name=value>',
    description: "answer one of the house template's questions (repeatable)",
  },
  {
    name: 'yes',
    short: 'y',
    commands: ['create', 'add'],
    type: 'boolean',
    description: 'accept the default for every question not answered by a flag',
  },
  {
    name: 'skip-install',
    commands: ['create', 'add', 'update'],
    type: 'boolean',
    description: 'do not install (no lockfile is written or updated)',
  },
  {
    name: 'cwd',
    commands: ['add', 'update'],
    type: 'string',
    valueName: '<dir>',
    description: 'the app to work on (default: the current directory)',
  },
  { name: 'skip-git', type: 'boolean', description: 'do not init a git repository' },
  {
    name: 'dry-run',
    commands: ['create', 'add', 'update'],
    type: 'boolean',
    description: 'print what would be written, write nothing',
  },
  {
    name: 'force',
    type: 'boolean',
    description: 'allow a non-empty directory (conflicting files are asked about unless --yes)',
  },
  {
    name: 'check',
    commands: ['update'],
    type: 'boolean',
    description: 'exit 1 and list what would change, write nothing (for CI and bots)',
  },
  {
    name: 'from',
    commands: ['update', 'add'],
    type: 'string',
    valueName: '<tarball|dir>',
    description: 'the package of the version that generated the app (default: from the npm registry)',
  },
  {
    name: 'trust-template',
    commands: ['update', 'add', 'fleet'],
    type: 'string',
    multiple: true,
    valueName: '<@scope|name|path|url prefix>',
    description: 'run the house template .yo-rc.json records when it comes from here (repeatable)',
  },
  {
    name: 'force',
    commands: ['update', 'add'],
    type: 'boolean',
    description: 'run even with uncommitted changes in the git working tree',
  },
  {
    name: 'format',
    commands: ['check'],
    type: 'string',
    valueName: '<human|json|sarif|junit|github>',
    description:
      'how to print the report: for people, JSON, SARIF 2.1.0 (code scanning), JUnit XML, GitHub annotations',
  },
  {
    name: 'json',
    commands: ['check', 'fleet'],
    type: 'boolean',
    description: 'print the report as one JSON document (check: the same as --format json)',
  },
  {
    name: 'rules',
    commands: ['check'],
    type: 'boolean',
    description: 'list every rule id with what it wants and how to fix it',
  },
  {
    name: 'run',
    commands: ['check'],
    type: 'boolean',
    description: 'also build the app and start its web: process to measure it',
  },
  {
    name: 'only',
    commands: ['check'],
    type: 'string',
    valueName: '<factor,...>',
    description: 'report only these factors (ids or numbers)',
  },
  {
    name: 'from',
    commands: ['fleet'],
    type: 'string',
    valueName: '<file>',
    description: 'read the repositories from a file, one git URL or path per line (# comments)',
  },
  {
    name: 'html',
    commands: ['fleet'],
    type: 'string',
    valueName: '<file>',
    description: 'status: also write a self-contained HTML report',
  },
  {
    name: 'branch',
    commands: ['fleet'],
    type: 'string',
    valueName: '<name>',
    description: 'update: the branch each update is committed and pushed to (never the default branch)',
  },
  {
    name: 'allow-conflicts',
    commands: ['fleet'],
    type: 'boolean',
    description: 'update: commit merges that left conflicts (the message lists the files)',
  },
  {
    name: 'no-push',
    commands: ['fleet'],
    type: 'boolean',
    description: 'update: leave the branches in the cache, push nothing',
  },
  {
    name: 'concurrency',
    commands: ['fleet'],
    type: 'string',
    valueName: '<n>',
    description: 'repositories worked on at once (default 4)',
  },
  {
    name: 'canary',
    commands: ['fleet'],
    type: 'string',
    valueName: '<n>',
    description: 'update: the first n first; stop if one fails, a factor newly fails check, or its build fails',
  },
  {
    name: 'pr',
    commands: ['fleet'],
    type: 'boolean',
    description: 'update: open a pull request per branch with gh (or print the command)',
  },
  {
    name: 'trust-repo',
    commands: ['fleet'],
    type: 'string',
    multiple: true,
    valueName: '<URL or path prefix>',
    description: 'update --canary: build the canaries from these repositories (runs their code) (repeatable)',
  },
  {
    name: 'config',
    commands: ['fleet'],
    type: 'string',
    valueName: '<file>',
    description: 'a JSON file: {"trustTemplates": ["@acme"], "trustRepos": ["https://github.com/acme/"]}',
  },
  {
    name: 'base-from',
    commands: ['fleet'],
    type: 'string',
    multiple: true,
    valueName: '<tarball|dir>',
    description: "update: an older version's package, for apps it generated (repeatable; default: the npm registry)",
  },
  {
    name: 'help',
    short: 'h',
    commands: ['create', 'add', 'update', 'template', 'check', 'fleet'],
    type: 'boolean',
    description: 'show this help',
  },
  {
    name: 'version',
    short: 'v',
    commands: ['create', 'add', 'update', 'template', 'check', 'fleet'],
    type: 'boolean',
    description: 'show the version',
  },
];

/** Label for the answer descriptions in a question list: `api (an HTTP API)`. */
export const CHOICE_LABELS: Record<string, string> = {
  ...Object.fromEntries(KINDS.map((kind) => [kind, `${kind} — ${KIND_DEFINITIONS[kind].label}`])),
  // A value that chooses a capability is labelled by the registry; a value two options share is labelled
  // per option: `<option>:<value>`.
  ...Object.fromEntries(
    CAPABILITIES.flatMap(({ chosenBy }) =>
      chosenBy ? [[`${chosenBy.option}:${chosenBy.value}`, `${chosenBy.value} — ${chosenBy.label}`]] : [],
    ),
  ),
  'db:none': 'none — no database',
  'error-reporting:none': 'none — errors are only logged',
};

export function optionsFor(command: Command): OptionSpec[] {
  return OPTIONS.filter((option) => (option.commands ?? ['create']).includes(command));
}

const UPDATE_USAGE = [
  'Usage: create-twelve-app update [options]',
  '',
  "Brings the app up to this version's templates, keeping your edits (a three-way merge). Exit codes:",
  '  0 updated or up to date, 1 conflicts left to resolve (or --check: an update is available), 2 not an app',
];

export function flag(option: OptionSpec): string {
  return `--${option.name}`;
}

const CHECK_USAGE = [
  'Usage: create-twelve-app check [directory] [options]',
  '',
  'Audits an app against the twelve factors. Exit 0: nothing fails; 1: a factor fails; 2: bad usage, a malformed twelve-factor.json, or not an app.',
  'Waive a finding in twelve-factor.json at the app root: { "waive": [{ "rule": "<rule id>", "path": "<glob>", "reason": "…" }] }.',
  `Factors: ${FACTORS.map((factor) => factor.id).join(', ')}.`,
];

const FLEET_USAGE = [
  'Usage: create-twelve-app fleet status [repos...] [--from <file>] [--json] [--html <file>]',
  '       create-twelve-app fleet update [repos...] --branch <name> [options]',
  '',
  'One view and one update for many apps: each repository (git URL or path) is fetched into the cache at',
  'its default branch. status exit codes: 0 every app current and passing check, 1 otherwise, 2 bad usage.',
];

export function helpText(version: string, command: Command = 'create'): string {
  const rows = optionsFor(command).map((option) => {
    const names = [option.short ? `-${option.short}` : undefined, flag(option)].filter(Boolean).join(', ');
    return [`${names}${option.valueName ? ` ${option.valueName}` : ''}`, option.description] as const;
  });
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  const usage =
    command === 'template'
      ? TEMPLATE_USAGE
      : command === 'update'
        ? UPDATE_USAGE
        : command === 'check'
          ? CHECK_USAGE
          : command === 'fleet'
            ? FLEET_USAGE
            : command === 'create'
              ? [
                  'Usage: create-twelve-app [directory] [options]',
                  '       create-twelve-app add <capability> [options]',
                  '       create-twelve-app check [directory] [options]',
                  '       create-twelve-app update [options]',
                  '       create-twelve-app fleet status|update [repos...] [options]',
                  '       create-twelve-app template init <name>',
                  '       npm create twelve-app@latest my-api',
                ]
              : [
                  'Usage: create-twelve-app add <capability> [options]',
                  '',
                  'Merges the capability into the app as update does, keeping your edits (a three-way merge). Exit codes:',
                  '  0 added or already there, 1 conflicts left to resolve, 2 not an app',
                  '',
                  'Capabilities:',
                  ...CAPABILITIES.map((capability) => `  ${capability.id.padEnd(width)}${capability.help}`),
                ];
  return [
    `create-twelve-app ${version}: scaffold a Twelve-Factor Node.js service`,
    '',
    ...usage,
    '',
    'Options:',
    ...rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`),
    '',
  ].join('\n');
}

/** `template init`'s usage lines. */
const TEMPLATE_USAGE = [
  'Usage: create-twelve-app template init <name>',
  '',
  'Scaffolds a house template package in ./<name> (for @scope/name, in ./name): package.json,',
  'twelve-template.json, templates/, a README explaining the format, and tests that render an app.',
];

/**
 * The questions still open after the flags, in order, given the answers known so far; `defaults` (a
 * house template's) replace the built-in defaults.
 */
export function openQuestions(given: Partial<Answers>, defaults: Partial<Answers> = {}): OptionSpec[] {
  const answers: Partial<Answers> = { ...given };
  const open: OptionSpec[] = [];
  for (const option of OPTIONS) {
    if (!option.question) continue;
    const key = option.name as keyof Answers;
    if (option.question.when && !option.question.when(answers)) continue;
    if (answers[key] !== undefined) continue;
    open.push(option);
    // Later `when`s see the default, which is what --yes would pick.
    answers[key] = defaults[key] ?? option.question.default;
  }
  return open;
}
