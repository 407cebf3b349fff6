import type { AppModel, Script } from '../model/types.ts';

/** The scripts people look for first, in the order they use them; the rest follow in capability order. */
const FIRST = ['build', 'start', 'dev', 'test', 'typecheck'];

function ordered(scripts: Script[]): Script[] {
  const rank = (script: Script) => (FIRST.includes(script.name) ? FIRST.indexOf(script.name) : FIRST.length);
  return scripts.map((script, index) => ({ script, index })).sort((a, b) => rank(a.script) - rank(b.script) || a.index - b.index).map(({ script }) => script);
}

export function packageJson(model: AppModel): Record<string, unknown> {
  return {
    name: model.name,
    version: '0.1.0',
    private: true,
    type: 'module',
    engines: { node: `>=${model.node.version}` },
    packageManager: `${model.packageManager.name}@${model.packageManager.version}`,
    scripts: Object.fromEntries(ordered(model.scripts).map((script) => [script.name, script.command])),
    dependencies: model.dependencies,
    devDependencies: model.devDependencies,
  };
}

export function renderPackageJson(model: AppModel): string {
  return `${JSON.stringify(packageJson(model), null, 2)}\n`;
}
