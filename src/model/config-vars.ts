import type { ConfigVar } from './types.ts';

/**
 * A duration in milliseconds that the config validates as a non-negative integer (0: none or no limit),
 * the shape of every `*_MS` setting; only its name, meaning, default and a wrong example differ.
 */
export function millisecondsVar(name: string, description: string, defaultMs: number, invalid: string): ConfigVar {
  return {
    name,
    description,
    example: String(defaultMs),
    default: String(defaultMs),
    secret: false,
    schema: 'integer(0, 2_147_483_647)',
    type: 'number',
    error: 'must be an integer between 0 and 2147483647',
    invalid,
  };
}
