import type { CheckContext } from '../context.ts';
import type { Finding } from '../types.ts';
import { adminProcesses } from './admin-processes.ts';
import { backingServices } from './backing-services.ts';
import { buildReleaseRun } from './build-release-run.ts';
import { codebase } from './codebase.ts';
import { concurrency } from './concurrency.ts';
import { config } from './config.ts';
import { dependencies } from './dependencies.ts';
import { devProdParity } from './dev-prod-parity.ts';
import { disposability } from './disposability.ts';
import { logs } from './logs.ts';
import { manifestsAgree } from './manifests-agree.ts';
import { portBinding } from './port-binding.ts';
import { processes } from './processes.ts';
import { serviceVersions } from './service-versions.ts';

/** The static rules, one per factor; a rule may also report for another factor (the Dockerfile's). */
export const RULES: ReadonlyArray<(ctx: CheckContext) => Finding[]> = [
  codebase,
  dependencies,
  config,
  backingServices,
  buildReleaseRun,
  processes,
  portBinding,
  concurrency,
  manifestsAgree,
  disposability,
  devProdParity,
  serviceVersions,
  logs,
  adminProcesses,
];
