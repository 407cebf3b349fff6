import type { AppSpec, Contribution, Kind } from '../model/types.ts';

/** What a capability's contribution may depend on besides the spec: what the app's kind offers. */
export interface KindTraits {
  kind: Kind;
  /** The app serves an HTTP API, so a capability may add routes to it (and tests that call them). */
  api: boolean;
}

/** One entry of the registry (src/capabilities/registry.ts): everything else about a capability derives from it. */
export interface CapabilityDefinition<Id extends string = string> {
  id: Id;
  /** One line for `add --help` and for the capability's choice in a prompt. */
  help: string;
  /** Capabilities it brings along (a worker queues its jobs in Redis). */
  requires: readonly string[];
  /** The kinds that accept it (the compatibility table); another kind refuses `add <id>`. */
  kinds: readonly Kind[];
  contribute: (spec: AppSpec, traits: KindTraits) => Contribution;
  /**
   * Options `add <id>` takes besides the common ones (`add schedule --name --cron`), and the spec they
   * give: one more entry of the capability's own list, so running `add` again adds another. `apply`
   * throws a UserError (one sentence) for a bad value, before anything is written.
   */
  configure?: {
    options: readonly string[];
    apply: (spec: AppSpec, options: Readonly<Record<string, string | undefined>>) => AppSpec;
  };
  /** The answer to a question of a new app that chooses it: `--db postgres`, `--error-reporting sentry`. */
  chosenBy?: { option: 'db' | 'error-reporting'; value: string; label: string };
}

/** Keeps the id's literal type, so the registry's ids form a union. */
export function defineCapability<const Id extends string>(
  definition: CapabilityDefinition<Id>,
): CapabilityDefinition<Id> {
  return definition;
}
