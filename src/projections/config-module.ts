import type { AppModel, ConfigVar } from '../model/types.ts';

/** One entry of the variable table at the top of the generated `src/config.ts`. */
export interface ConfigEntry {
  name: string;
  /** zod source with the default applied, e.g. `integer(1, 65_535).default(3000)`. */
  schema: string;
  secret: boolean;
  error: string;
}

export function configEntries(model: AppModel): ConfigEntry[] {
  return model.config.map((variable) => ({
    name: variable.name,
    schema: variable.default === undefined ? variable.schema : `${variable.schema}.default(${literal(variable)})`,
    secret: variable.secret,
    error: variable.error,
  }));
}

function literal(variable: ConfigVar): string {
  const value = variable.default ?? '';
  if (variable.type === 'number') return String(Number(value));
  if (variable.type === 'boolean') return String(value === 'true');
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}
