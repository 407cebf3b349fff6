import type { AppModel } from '../model/types.ts';

export function packageJson(model: AppModel): Record<string, unknown> {
  return {
    name: model.name,
    version: '0.1.0',
    private: true,
    type: 'module',
    engines: { node: `>=${model.node.version}` },
    packageManager: `${model.packageManager.name}@${model.packageManager.version}`,
    scripts: Object.fromEntries(model.scripts.map((script) => [script.name, script.command])),
    dependencies: model.dependencies,
    devDependencies: model.devDependencies,
  };
}

export function renderPackageJson(model: AppModel): string {
  return `${JSON.stringify(packageJson(model), null, 2)}\n`;
}
