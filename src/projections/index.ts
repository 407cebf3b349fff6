import type { AppModel } from '../model/types.ts';
import { renderCompose } from './compose.ts';
import { renderEnvExample } from './env-example.ts';
import { renderKubernetes } from './kubernetes.ts';
import { renderPackageJson } from './package-json.ts';
import { renderProcfile } from './procfile.ts';

/** The files rendered from the model in code rather than from a template: path → contents. */
export function projections(model: AppModel): Record<string, string> {
  const files: Record<string, string> = {
    'package.json': renderPackageJson(model),
    '.env.example': renderEnvExample(model),
    Procfile: renderProcfile(model),
  };
  const compose = renderCompose(model);
  if (compose) files['docker-compose.yml'] = compose;
  return { ...files, ...renderKubernetes(model) };
}
