import { CURRENT_SPEC_VERSION } from '../../src/model/migrations.ts';
import type { AppSpec } from '../../src/model/types.ts';

/** A spec as the app generator saves it for `--kind api --yes`, with overrides. */
export function apiSpec(overrides: Partial<AppSpec> = {}): AppSpec {
  return {
    specVersion: CURRENT_SPEC_VERSION,
    name: 'my-api',
    kind: 'api',
    capabilities: ['postgres', 'error-reporting'],
    packageManager: 'npm@11.19.1',
    generatorVersion: '0.0.0',
    ...overrides,
  };
}
