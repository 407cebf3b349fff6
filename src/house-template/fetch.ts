import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import npa from 'npm-package-arg';
import semver from 'semver';
import * as tar from 'tar';
import { UserError } from '../errors.ts';
import type { TemplateRef } from '../model/types.ts';
import { isInside, pathProblem } from './files.ts';

/** Where a house template's files are on disk, and how it was asked for. */
export interface FetchedTemplate {
  /** The package's folder: `twelve-template.json`, `templates/`. */
  root: string;
  name: string;
  version: string;
  type: TemplateRef['type'];
  /** npm: the spec as given; directory and tarball: the absolute path. */
  location: string;
}

/**
 * A house template's package on disk, from `--template`: a local folder is used where it is; a
 * tarball is unpacked; a package name (with an optional version range or tag) is taken from a
 * `node_modules` above `cwd` when one there satisfies it (a platform team's repository, or an app that
 * keeps its template as a devDependency), else fetched by the real npm (`npm pack`), so the user's
 * registry, scopes and credentials in `.npmrc` apply.
 */
export async function fetchTemplate(spec: string, cwd: string): Promise<FetchedTemplate> {
  let parsed: npa.Result;
  try {
    parsed = npa(spec, cwd);
  } catch (error) {
    throw new UserError(
      `--template "${spec}" is not a package name, folder or tarball npm understands: ${firstLine(error)}.`,
    );
  }
  if (parsed.type === 'directory') {
    const root = parsed.fetchSpec!;
    if (!fs.existsSync(root)) throw new UserError(`--template ${spec}: there is no folder at ${root}.`);
    return described(root, 'directory', root, spec);
  }
  if (parsed.type === 'file') {
    const file = parsed.fetchSpec!;
    if (!fs.existsSync(file)) throw new UserError(`--template ${spec}: there is no file at ${file}.`);
    return described(await unpack(file, spec), 'tarball', file, spec);
  }
  const installed = parsed.registry ? findInstalled(parsed, cwd) : undefined;
  if (installed) return described(installed, 'npm', spec, spec);
  return described(await unpack(await npmPack(spec, cwd), spec), 'npm', spec, spec);
}

/**
 * The template an app records in `.yo-rc.json`, fetched again for `add` (or, with `latest`, at the
 * newest version its recorded range allows, for an update). A recorded path is relative to the app.
 */
export function refetchTemplate(
  ref: TemplateRef,
  appDir: string,
  options: { latest?: boolean } = {},
): Promise<FetchedTemplate> {
  if (ref.type !== 'npm') {
    const absolute = path.resolve(appDir, ref.source);
    if (!fs.existsSync(absolute)) {
      throw new UserError(
        `This app was generated from the house template ${ref.name} at ${ref.source} (relative to the app, in .yo-rc.json), which is not there any more: put it back or correct template.source.`,
      );
    }
    // npm-package-arg reads a bare relative name as a package name: make the path unmistakable.
    return fetchTemplate(absolute, appDir);
  }
  // A registry template is fetched again at its recorded version; a git or URL one only by its source.
  const fromRegistry = safeParse(ref.source, appDir)?.registry === true;
  return fetchTemplate(options.latest || !fromRegistry ? ref.source : `${ref.name}@${ref.version}`, appDir);
}

function safeParse(spec: string, where: string): npa.Result | undefined {
  try {
    return npa(spec, where);
  } catch {
    return undefined;
  }
}

/** A folder or tarball relative to the app, as recorded; an npm spec as given. */
export function recordedSource(fetched: FetchedTemplate, appDir: string): string {
  if (fetched.type === 'npm') return fetched.location;
  return path.relative(appDir, fetched.location).split(path.sep).join('/') || '.';
}

function described(root: string, type: TemplateRef['type'], location: string, spec: string): FetchedTemplate {
  const file = path.join(root, 'package.json');
  let pkg: { name?: unknown; version?: unknown };
  try {
    pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    throw new UserError(
      `--template ${spec} has no readable package.json: a house template is an npm package (create one with \`create-twelve-app template init <name>\`).`,
    );
  }
  if (typeof pkg.name !== 'string' || typeof pkg.version !== 'string') {
    throw new UserError(`--template ${spec}: its package.json needs a name and a version.`);
  }
  return { root, name: pkg.name, version: pkg.version, type, location };
}

function findInstalled(parsed: npa.Result, cwd: string): string | undefined {
  if (!parsed.name) return undefined;
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const root = path.join(dir, 'node_modules', parsed.name);
    const version = readVersion(path.join(root, 'package.json'));
    if (version !== undefined) {
      // A bare name (`*`) takes whatever is installed, as `npx` would; a range or version must match; a
      // dist-tag (`@next`) can only be answered by the registry.
      if (
        parsed.type !== 'tag' &&
        parsed.fetchSpec &&
        semver.satisfies(version, parsed.fetchSpec, { includePrerelease: true })
      )
        return root;
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

function readVersion(file: string): string | undefined {
  try {
    const version = JSON.parse(fs.readFileSync(file, 'utf8')).version;
    return typeof version === 'string' ? version : undefined;
  } catch {
    return undefined;
  }
}

async function npmPack(spec: string, cwd: string): Promise<string> {
  const destination = scratch('pack');
  const result = await execa('npm', ['pack', spec, '--pack-destination', destination, '--json', '--ignore-scripts'], {
    cwd,
    reject: false,
  });
  if (result.exitCode !== 0) {
    const reason = String(result.stderr)
      .split('\n')
      .find((line) => /npm (error|ERR!)/.test(line) && !/A complete log|^npm error\s*$/.test(line));
    throw new UserError(
      `npm could not fetch the house template "${spec}"${reason ? ` (${reason.replace(/^npm (error|ERR!)\s*/, '').trim()})` : ''}: check the name, the version and your registry.`,
    );
  }
  const [packed] = JSON.parse(String(result.stdout)) as [{ filename: string }];
  return path.join(destination, packed.filename);
}

/**
 * Unpacks a package tarball (npm's layout: everything under one top folder, stripped) into a fresh
 * folder. Every entry is checked first, so a tarball with an absolute path, a `..` or a link leading
 * out is refused whole, before anything of it is written, rather than silently trimmed.
 */
async function unpack(file: string, spec: string): Promise<string> {
  const problems: string[] = [];
  try {
    await tar.t({
      file,
      // Strict: a file that is not a tarball is an error here, not a warning that throws later.
      strict: true,
      onReadEntry: (entry) => {
        const problem = entryProblem(entry.path, entry.type, entry.linkpath);
        if (problem) problems.push(`${entry.path} ${problem}`);
      },
    });
  } catch (error) {
    throw new UserError(`--template ${spec} is not a readable tarball: ${firstLine(error)}.`);
  }
  if (problems.length > 0) throw new UserError(`--template ${spec} is refused: ${problems[0]}.`);
  const root = scratch('template');
  try {
    await tar.x({ file, cwd: root, strip: 1, strict: true });
  } catch (error) {
    throw new UserError(`--template ${spec} is not a readable tarball: ${firstLine(error)}.`);
  }
  return root;
}

/** Why a tarball entry could write outside the folder it is unpacked to, if it could. */
export function entryProblem(entryPath: string, type: string, linkpath: string | undefined): string | undefined {
  const problem = pathProblem(entryPath.replace(/\/$/, ''));
  if (problem) return problem;
  if ((type === 'SymbolicLink' || type === 'Link') && linkpath !== undefined) {
    const base = '/package-root';
    // A symbolic link is relative to its own folder; a hard link names another entry of the archive.
    const target =
      type === 'SymbolicLink'
        ? path.posix.resolve(path.posix.dirname(path.posix.join(base, entryPath)), linkpath)
        : path.posix.join(base, linkpath);
    if (path.posix.isAbsolute(linkpath) || !isInside(path.posix.join(base, entryPath.split('/')[0]!), target)) {
      return 'is a link pointing outside the template';
    }
  }
  return undefined;
}

let scratchRoot: string | undefined;

/** A fresh folder for fetched templates, removed when the process exits. */
function scratch(label: string): string {
  if (!scratchRoot) {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'twelve-house-'));
    scratchRoot = root;
    process.once('exit', () => fs.rmSync(root, { recursive: true, force: true }));
  }
  return fs.mkdtempSync(path.join(scratchRoot, `${label}-`));
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!.replace(/\.$/, '');
}
