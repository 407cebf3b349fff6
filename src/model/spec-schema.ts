import fs from 'node:fs';
import semver from 'semver';
import validatePackageName from 'validate-npm-package-name';
import * as z from 'zod';
import { UserError } from '../errors.ts';
import { KINDS, PACKAGE_MANAGERS } from './types.ts';

/**
 * The saved spec (`.yo-rc.json`) as a schema. The file is committed by anyone who can push to the app's
 * repository and `update` (and `fleet`) act on it, so it is checked whole before any field is used, and
 * every message names the field and what is wrong with it.
 */

/** Far above any real spec (a few hundred bytes), far below what would hurt to read. */
export const SPEC_FILE_LIMIT = 256 * 1024;
/** The deepest a real `.yo-rc.json` goes is 4 (`create-twelve-app.template.answers.x`). */
export const SPEC_DEPTH_LIMIT = 16;

const exactVersion = z
  .string()
  .refine((value) => semver.valid(value) === value, { message: 'must be an exact version such as 1.4.0' });

// No control characters: these values reach command lines, file paths and generated files.
const plainText = (max: number) =>
  z
    .string()
    .max(max, { message: `must be at most ${max} characters` })
    .refine((value) => !/[\u0000-\u001f\u007f]/.test(value), {
      message: 'must not contain line breaks or control characters',
    });

const packageName = z.string().refine((value) => validatePackageName(value).validForNewPackages, {
  message: 'must be a valid npm package name (lower case, no spaces, no ../)',
});

const templateRef = z.object({
  name: packageName,
  version: exactVersion,
  source: plainText(1024).pipe(z.string().min(1, { message: 'must not be empty' })),
  type: z.enum(['npm', 'directory', 'tarball']),
  answers: z
    .record(
      z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, { message: 'must be an identifier' }),
      z.union([plainText(1024), z.boolean()]),
    )
    .default({}),
});

const packageManager = plainText(100).refine(
  (value) => {
    const [name, version, ...rest] = value.split('@');
    return (
      rest.length === 0 &&
      PACKAGE_MANAGERS.includes(name as never) &&
      (version === undefined || semver.valid(version) === version)
    );
  },
  { message: `must be ${PACKAGE_MANAGERS.join(', ')} or one of them with an exact version (npm@11.6.2)` },
);

/**
 * The spec after migration (`migrations.ts`): unknown keys are allowed and carried over by update. The
 * capability ids come from the registry, one layer up, which the model does not import.
 */
export function specSchema(capabilityIds: readonly string[]) {
  const ids = capabilityIds as readonly [string, ...string[]];
  return z.object({
    specVersion: z.number().int(),
    name: packageName,
    kind: z.enum(KINDS, {
      error: (issue) =>
        `is ${JSON.stringify(issue.input)}, which is not a kind create-twelve-app knows (${KINDS.join(', ')})`,
    }),
    capabilities: z
      .array(
        z.enum(ids, {
          error: (issue) =>
            `is ${JSON.stringify(issue.input)}, which is not a capability create-twelve-app knows (${ids.join(', ')})`,
        }),
      )
      .max(ids.length * 2)
      .default([]),
    packageManager,
    generatorVersion: exactVersion.optional(),
    // The worker queue's name, recorded for apps that had a worker before queues were named after the app.
    queue: plainText(200).optional(),
    template: templateRef.optional(),
    // Scheduled tasks (`add schedule`): the shape here; the schedule capability checks each expression.
    tasks: z
      .array(
        z.object({
          name: z.string().regex(/^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){0,29}$/, {
            message: 'must be 1 to 30 lower-case letters, digits and single dashes, starting with a letter',
          }),
          cron: plainText(100),
          timezone: plainText(64).optional(),
        }),
      )
      .max(100)
      .optional(),
  });
}

export type ParsedSpec = z.output<ReturnType<typeof specSchema>>;

/** The spec, or one line naming the first bad field as it is written in the file (`template.version`). */
export function parseSpec(saved: unknown, where: string, capabilityIds: readonly string[]): ParsedSpec {
  assertShallow(saved, where);
  const result = specSchema(capabilityIds).safeParse(saved);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = ['create-twelve-app', ...issue.path.map(String)].join('.');
  throw new UserError(
    `${where}/.yo-rc.json: ${field} ${lowerFirst(issue.message)}: correct it, or restore the file from version control.`,
  );
}

/** `.yo-rc.json` is refused before it is read when it is larger than any spec could be. */
export function assertSpecFileSize(file: string, where: string): void {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    return;
  }
  if (size > SPEC_FILE_LIMIT) {
    throw new UserError(
      `${where}/.yo-rc.json is ${Math.round(size / 1024)} kB, more than a spec can be (${SPEC_FILE_LIMIT / 1024} kB): restore it from version control.`,
    );
  }
}

/** Depth first, without recursion, so a deeply nested value cannot overflow the stack of whoever reads it next. */
function assertShallow(value: unknown, where: string): void {
  const stack: Array<[unknown, number]> = [[value, 1]];
  let seen = 0;
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth > SPEC_DEPTH_LIMIT)
      throw new UserError(
        `${where}/.yo-rc.json nests deeper than ${SPEC_DEPTH_LIMIT} levels, which no spec does: restore it from version control.`,
      );
    for (const child of Object.values(current)) {
      if (++seen > 10_000)
        throw new UserError(`${where}/.yo-rc.json holds more values than a spec can: restore it from version control.`);
      stack.push([child, depth + 1]);
    }
  }
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
