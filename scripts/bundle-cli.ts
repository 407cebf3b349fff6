/**
 * `npm run build`'s second step: bundles the CLI (src/cli.ts and everything it imports, Yeoman included)
 * with esbuild into `dist/src/cli.js` plus `dist/src/cli-chunks/`, so a run loads a few files instead of
 * ~2,300 ES modules. Each command's code is its own chunk, loaded by the `import()` at the command
 * boundary in src/cli.ts: `--help` loads none of Yeoman. `tsc` has already written `dist/src` and
 * `dist/generators` module by module: those stay what `yo` and `create-twelve-app/generators/*`
 * resolve, with the package's dependencies installed as today. docs/decisions.md (issue 17) has the figures.
 *
 * Bundled code no longer sits in its own package, so what a dependency reads through its own location
 * (`import.meta.url`, `__dirname`) would look in dist/src/. Each such read on our path is handled here and
 * every other one is reviewed: the build fails on one nobody has looked at, so a dependency update cannot
 * break the published CLI quietly.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';

const root = path.join(import.meta.dirname, '..');
const outdir = path.join(root, 'dist', 'src');
const chunks = 'cli-chunks';

/** Modules we never run, replaced by one that refuses: see each file for why. */
const REPLACED: Record<string, string> = {
  'fly-import': path.join(import.meta.dirname, 'cli-bundle', 'no-fly-import.ts'),
  'latest-version': path.join(import.meta.dirname, 'cli-bundle', 'no-latest-version.ts'),
  '@inquirer/external-editor': path.join(import.meta.dirname, 'cli-bundle', 'no-external-editor.ts'),
};

/**
 * Kept out of the bundle and loaded from node_modules as today: oxc-parser (only `check` uses it) finds
 * its native binding next to its own files.
 */
const EXTERNAL = ['oxc-parser'];

/** A dependency reading its own package.json at load: the value is inlined from the installed file. */
interface SelfRead {
  file: string;
  text: string;
  value: (manifest: { name: string; version: string }) => unknown;
}
const SELF_READS: SelfRead[] = [
  {
    file: 'yeoman-environment/dist/environment-base.js',
    text: "require('../package.json').version",
    value: (manifest) => manifest.version,
  },
  {
    file: 'yeoman-environment/dist/module-lookup.js',
    text: "JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json')).toString()).name",
    value: (manifest) => manifest.name,
  },
  {
    file: 'yeoman-generator/dist/generator.js',
    text: "JSON.parse(readFileSync(pathJoin(_dirname, '../package.json'), 'utf8'))",
    value: (manifest) => ({ name: manifest.name, version: manifest.version }),
  },
];

/**
 * Bundled files that still name their own location, each with why that is harmless for us. A file here
 * may also be in SELF_READS: this covers what is left once those reads are inlined.
 */
const REVIEWED: Record<string, string> = {
  'yeoman-environment/dist/environment-base.js':
    "its require resolves other packages' package.json for getVersion(name), which we never call with a name",
  'yeoman-environment/dist/module-lookup.js':
    'the folder is where lookups start, and we register generators as classes',
  'yeoman-environment/dist/store.js': 'requires a generator by the path it was registered with; ours are classes',
  'yeoman-generator/dist/generator.js':
    '`this._` requires lodash-es, which our generators never use; _dirname only served the package.json read',
  'yeoman-generator/dist/actions/lifecycle.js': 'resolves a generator passed to composeWith by path; we never compose',
  'ejs/lib/esm/ejs.js': "`__filename` is text of the function ejs builds from a template, not ejs's own",
  'commander/lib/command.js': 'only in comments',
  'fdir/dist/index.mjs':
    'tries to require picomatch for its own glob filter, which tinyglobby does not use; found among our dependencies or skipped',
};

const OWN_LOCATION = /import\.meta\.(url|dirname|filename)|\b__dirname\b|\b__filename\b/;

function packagePath(file: string): { name: string; rest: string; dir: string } | undefined {
  const at = file.lastIndexOf(`${path.sep}node_modules${path.sep}`);
  if (at === -1) return undefined;
  const inside = file.slice(at + '/node_modules/'.length).split(path.sep);
  const size = inside[0]!.startsWith('@') ? 2 : 1;
  const name = inside.slice(0, size).join('/');
  return { name, rest: inside.slice(size).join('/'), dir: file.slice(0, at + '/node_modules/'.length) + name };
}

const selfReads: esbuild.Plugin = {
  name: 'self-reads',
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/].*\.m?js$/ }, (args) => {
      const where = packagePath(args.path);
      const reads = SELF_READS.filter((read) => where && `${where.name}/${where.rest}` === read.file);
      if (!where || reads.length === 0) return undefined;
      const manifest = JSON.parse(fs.readFileSync(path.join(where.dir, 'package.json'), 'utf8'));
      let contents = fs.readFileSync(args.path, 'utf8');
      for (const read of reads) {
        if (!contents.includes(read.text)) {
          throw new Error(
            `${read.file} no longer contains ${read.text}: review scripts/bundle-cli.ts for this version`,
          );
        }
        contents = contents.replace(read.text, JSON.stringify(read.value(manifest)));
      }
      return { contents, loader: 'js' };
    });
  },
};

fs.rmSync(path.join(outdir, chunks), { recursive: true, force: true });
const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: { cli: 'src/cli.ts' },
  outdir,
  chunkNames: `${chunks}/[name]-[hash]`,
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  external: EXTERNAL,
  alias: REPLACED,
  plugins: [selfReads],
  // CommonJS dependencies call `require` for Node's built-ins; an ES module has none of its own.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
  },
  metafile: true,
  logLevel: 'warning',
});

if (process.env.CLI_METAFILE) fs.writeFileSync(process.env.CLI_METAFILE, JSON.stringify(result.metafile));

const unreviewed = Object.keys(result.metafile.inputs)
  .map((input) => path.join(root, input))
  .filter((file) => packagePath(file) && OWN_LOCATION.test(fs.readFileSync(file, 'utf8')))
  .map((file) => `${packagePath(file)!.name}/${packagePath(file)!.rest}`)
  .filter((file) => !(file in REVIEWED));
if (unreviewed.length > 0) {
  throw new Error(
    `bundled dependencies read their own location, unreviewed: ${unreviewed.join(', ')}. Inline the read in SELF_READS or say in REVIEWED why it is harmless (scripts/bundle-cli.ts).`,
  );
}
