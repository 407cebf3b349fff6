import { UserError } from '../errors.ts';
import type { ConfigVar, Contribution } from '../model/types.ts';
import type { Manifest, ManifestConfigVariable } from './manifest.ts';

/**
 * What a house template adds to the app model, like a capability: its dependencies and config variables
 * then reach `package.json`, `src/config.ts`, `.env.example` and the README through the same projections.
 * It may add, never redefine: a package we pin or a variable we declare is refused, since the
 * combination we test is the one that ships.
 */
export function houseContribution(manifest: Manifest, templateName: string, builtIn: Contribution[]): Contribution {
  const where = `The house template ${templateName}'s twelve-template.json`;
  for (const key of ['dependencies', 'devDependencies'] as const) {
    for (const [name, version] of Object.entries(manifest[key])) {
      const pinned = builtIn.map((part) => part.dependencies?.[name] ?? part.devDependencies?.[name]).find(Boolean);
      if (pinned !== undefined && pinned !== version) {
        throw new UserError(
          `${where}: ${key}.${name} asks for ${version}, and create-twelve-app pins ${pinned}: leave it out, or use ${pinned}.`,
        );
      }
    }
  }
  const declared = new Set(builtIn.flatMap((part) => part.config ?? []).map((variable) => variable.name));
  manifest.config.forEach((variable, index) => {
    if (declared.has(variable.name)) {
      throw new UserError(
        `${where}: config[${index}].name ${variable.name} is already a variable of the app: choose another name.`,
      );
    }
  });
  return {
    dependencies: manifest.dependencies,
    devDependencies: manifest.devDependencies,
    config: manifest.config.map(configVar),
  };
}

/** A manifest variable as the model declares one: the zod schema and messages follow from its type. */
export function configVar(variable: ManifestConfigVariable): ConfigVar {
  const common = {
    name: variable.name,
    description: variable.description,
    example: variable.example,
    ...(variable.default === undefined ? {} : { default: variable.default }),
    secret: variable.secret,
    ...(variable.public ? { public: true } : {}),
  };
  switch (variable.type) {
    case 'integer': {
      const min = variable.min ?? 0;
      const range = variable.max === undefined ? `of at least ${min}` : `between ${min} and ${variable.max}`;
      return {
        ...common,
        schema: variable.max === undefined ? `integer(${min})` : `integer(${min}, ${variable.max})`,
        type: 'number',
        error: `must be an integer ${range}`,
        invalid: 'not-a-number',
      };
    }
    case 'boolean':
      return { ...common, schema: 'boolean()', type: 'boolean', error: 'must be true or false', invalid: 'maybe' };
    case 'url':
      return { ...common, schema: 'z.url()', type: 'string', error: 'must be a URL', invalid: 'not a url' };
    case 'enum': {
      const choices = variable.choices ?? [];
      return {
        ...common,
        schema: `z.enum([${choices.map((choice) => `'${choice}'`).join(', ')}])`,
        type: 'string',
        error: `must be one of ${choices.join(', ')}`,
        // Choices are letters, digits, _, . and -, so `?` is never one of them.
        invalid: '?',
      };
    }
    default:
      return { ...common, schema: 'z.string()', type: 'string', error: 'must be a string' };
  }
}
