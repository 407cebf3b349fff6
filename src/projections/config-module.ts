import type { AppModel, ConfigVar } from '../model/types.ts';

/** One variable as the generated `src/config.ts` and its tests need it. */
export interface ConfigEntry {
  name: string;
  /** zod/mini source with the default applied, e.g. `z._default(integer(1, 65_535), 3000)`. */
  schema: string;
  secret: boolean;
  /** Served to browsers by a client app's `GET /config.json`. */
  public: boolean;
  error: string;
  required: boolean;
  /** The parsed default as TypeScript source (`3000`, `false`, `'info'`), for optional variables. */
  defaultLiteral?: string;
  invalid?: string;
  example: string;
  unreachable?: string;
}

export function configEntries(model: AppModel): ConfigEntry[] {
  return model.config.map((variable) => {
    const defaultLiteral = variable.default === undefined ? undefined : literal(variable, variable.default);
    return {
      name: variable.name,
      schema: defaultLiteral === undefined ? variable.schema : `z._default(${variable.schema}, ${defaultLiteral})`,
      secret: variable.secret,
      public: variable.public === true && !variable.secret,
      error: variable.error,
      required: variable.default === undefined,
      ...(defaultLiteral === undefined ? {} : { defaultLiteral }),
      ...(variable.invalid === undefined ? {} : { invalid: variable.invalid }),
      example: variable.example,
      ...(variable.unreachable === undefined ? {} : { unreachable: variable.unreachable }),
    };
  });
}

function literal(variable: ConfigVar, value: string): string {
  if (variable.type === 'number') return String(Number(value));
  if (variable.type === 'boolean') return String(value === 'true');
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}
