import semver from 'semver';
import validatePackageName from 'validate-npm-package-name';
import * as z from 'zod';
import { UserError } from '../errors.ts';
import { DATABASES, ERROR_REPORTERS, KINDS, PACKAGE_MANAGERS } from '../model/types.ts';

/** The manifest's file name at the root of a house template package. */
export const MANIFEST_FILE = 'twelve-template.json';

/**
 * The options a manifest may default or lock, by their flag name, with the values each accepts. Per-app
 * options (`--name`, the directory) and run options (`--dry-run`, `--force`, `--yes`) are the user's.
 */
const TEMPLATE_OPTIONS = {
  kind: z.enum(KINDS),
  db: z.enum(DATABASES),
  'error-reporting': z.enum(ERROR_REPORTERS),
  'package-manager': z.enum(PACKAGE_MANAGERS),
  'skip-install': z.boolean(),
  'skip-git': z.boolean(),
} as const;

export type TemplateOption = keyof typeof TEMPLATE_OPTIONS;
export const TEMPLATE_OPTION_NAMES = Object.keys(TEMPLATE_OPTIONS) as TemplateOption[];

// A value that lands between single quotes in generated TypeScript (`src/config.ts`, `test/env.ts`) or
// on one line of `.env.example`: quotes, backslashes and line breaks would break those files.
const plainValue = z
  .string()
  .refine((value) => !/['\\\n\r]/.test(value), { message: 'must not contain quotes, backslashes or line breaks' });

const identifier = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, {
  message: 'must be an identifier (letters, digits, _), as templates read answers.<name>',
});

const prompt = z
  .strictObject({
    name: identifier,
    message: z.string().min(1),
    type: z.enum(['input', 'select', 'confirm']).default('input'),
    // Required: --yes and runs without a terminal take it, so a prompt never blocks a CI job.
    default: z.union([z.string(), z.boolean()], {
      error: 'is required: a string, or true or false for a confirm prompt (taken with --yes)',
    }),
    choices: z.array(z.string().min(1)).min(1).optional(),
  })
  .superRefine((value, context) => {
    const issue = (message: string, path: string) => context.addIssue({ code: 'custom', message, path: [path] });
    if (value.type === 'confirm' && typeof value.default !== 'boolean')
      issue('must be true or false for a confirm prompt', 'default');
    if (value.type !== 'confirm' && typeof value.default !== 'string') issue('must be a string', 'default');
    if (value.type === 'select' && !value.choices) issue('is required for a select prompt', 'choices');
    if (value.type !== 'select' && value.choices) issue('is only for a select prompt', 'choices');
    if (value.type === 'select' && value.choices && !value.choices.includes(String(value.default))) {
      issue(`must be one of the choices (${value.choices.join(', ')})`, 'default');
    }
  });

const configVariable = z
  .strictObject({
    name: z
      .string()
      .regex(/^[A-Z][A-Z0-9_]*$/, { message: 'must be an environment variable name in upper case (A-Z, 0-9, _)' }),
    description: z.string().min(1).pipe(plainValue),
    example: plainValue,
    default: plainValue.optional(),
    secret: z.boolean().default(false),
    // Served to browsers by a client app at GET /config.json.
    public: z.boolean().default(false),
    type: z.enum(['string', 'integer', 'boolean', 'url', 'enum']).default('string'),
    choices: z
      .array(z.string().regex(/^[A-Za-z0-9_.-]+$/, { message: 'must be letters, digits, _, . or -' }))
      .min(1)
      .optional(),
    min: z.int().optional(),
    max: z.int().optional(),
  })
  .superRefine((value, context) => {
    const issue = (message: string, path: string) => context.addIssue({ code: 'custom', message, path: [path] });
    if (value.public && value.secret)
      issue('cannot be true for a secret: public variables are shown to every browser', 'public');
    if (value.type === 'enum' && !value.choices) issue('is required for type enum', 'choices');
    if (value.type !== 'enum' && value.choices) issue('is only for type enum', 'choices');
    if (value.type !== 'integer' && (value.min !== undefined || value.max !== undefined))
      issue('is only for type integer', value.min !== undefined ? 'min' : 'max');
    for (const key of ['example', 'default'] as const) {
      const raw = value[key];
      if (raw === undefined) continue;
      const problem = valueProblem(value, raw);
      if (problem) issue(problem, key);
    }
  });

export type ManifestConfigVariable = z.output<typeof configVariable>;

/** Why `raw` is not a valid value of the variable, or undefined when it is. */
function valueProblem(variable: ManifestConfigVariable, raw: string): string | undefined {
  if (variable.type === 'integer') {
    if (!/^\d+$/.test(raw)) return 'must be a non-negative integer';
    const number = Number(raw);
    if ((variable.min !== undefined && number < variable.min) || (variable.max !== undefined && number > variable.max))
      return 'must be between min and max';
  }
  if (variable.type === 'boolean' && raw !== 'true' && raw !== 'false') return 'must be true or false';
  if (variable.type === 'url' && !URL.canParse(raw)) return 'must be a URL';
  if (variable.type === 'enum' && !variable.choices?.includes(raw)) return 'must be one of the choices';
  if (variable.type === 'string' && raw === '') return 'must not be empty (an empty value means unset)';
  return undefined;
}

const dependencies = z.record(
  z
    .string()
    .refine((name) => validatePackageName(name).validForOldPackages, { message: 'is not a valid npm package name' }),
  // Exact, like every dependency of a generated app: the lockfile pins the rest.
  z.string().refine((version) => semver.valid(version) === version, {
    message: 'must be an exact version such as 1.2.3, not a range',
  }),
);

const manifestSchema = z
  .strictObject({
    $schema: z.string().optional(),
    description: z.string().optional(),
    createTwelveApp: z
      .string()
      .refine((range) => semver.validRange(range) !== null, {
        message: 'must be a semver range of create-twelve-app versions, such as >=1.2.0',
      })
      .optional(),
    defaults: z.strictObject(TEMPLATE_OPTIONS).partial().default({}),
    locked: z.array(z.enum(TEMPLATE_OPTION_NAMES)).default([]),
    prompts: z.array(prompt).default([]),
    dependencies: dependencies.default({}),
    devDependencies: dependencies.default({}),
    config: z.array(configVariable).default([]),
  })
  .superRefine((value, context) => {
    value.locked.forEach((option, index) => {
      if (value.defaults[option] === undefined) {
        context.addIssue({
          code: 'custom',
          message: `locks ${option}, so defaults.${option} must give its value`,
          path: ['locked', index],
        });
      }
    });
    for (const [key, items] of [
      ['prompts', value.prompts],
      ['config', value.config],
    ] as const) {
      const seen = new Set<string>();
      items.forEach((item, index) => {
        if (seen.has(item.name))
          context.addIssue({ code: 'custom', message: `declares "${item.name}" twice`, path: [key, index, 'name'] });
        seen.add(item.name);
      });
    }
  });

export type Manifest = z.output<typeof manifestSchema>;
export type ManifestPrompt = Manifest['prompts'][number];

/**
 * A manifest, validated. The error names the first bad field the way it is written in the file
 * (`config[1].example`), since that is where the template's author has to look.
 */
export function parseManifest(raw: unknown, where: string): Manifest {
  const result = manifestSchema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = fieldPath(issue.path);
  const field = issue.code === 'unrecognized_keys' ? fieldPath([...issue.path, issue.keys[0] ?? '']) : path;
  const message =
    issue.code === 'unrecognized_keys'
      ? 'is not a manifest field'
      : issue.code === 'invalid_key'
        ? (issue.issues[0]?.message ?? issue.message)
        : issue.message;
  throw new UserError(`${where}: ${field || '(the manifest)'} ${lowerFirst(message)}.`.replace(/\.\.$/, '.'));
}

/** Reads and validates the JSON text of a manifest. */
export function parseManifestText(text: string, where: string): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${where} is not valid JSON: ${(error as Error).message}.`);
  }
  return parseManifest(raw, where);
}

/** A template made for a newer create-twelve-app says so, instead of failing somewhere in a template. */
export function checkCompatible(manifest: Manifest, templateName: string, cliVersion: string): void {
  if (
    manifest.createTwelveApp &&
    !semver.satisfies(cliVersion, manifest.createTwelveApp, { includePrerelease: true })
  ) {
    throw new UserError(
      `The house template ${templateName} needs create-twelve-app ${manifest.createTwelveApp}, and this is ${cliVersion}: run \`npm create twelve-app@latest\` instead.`,
    );
  }
}

function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)),
    '',
  );
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
