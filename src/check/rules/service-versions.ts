import { parseAllDocuments } from 'yaml';
import type { CheckContext } from '../context.ts';
import { imageKind } from '../context.ts';
import { lineOf } from '../repo.ts';
import type { Finding } from '../types.ts';

/** One backing service's image, where it is declared. */
interface Declared {
  kind: string;
  major: string;
  image: string;
  file: string;
  line: number | undefined;
}

const KUBERNETES_DIR = /(?:^|\/)(?:k8s|kubernetes|deploy|manifests)\//;
const WORKFLOW = /^\.github\/workflows\/[^/]+\.ya?ml$/;
// Where a manifest names a database image: containers and initContainers (`image`), CloudNativePG's Cluster (`imageName`).
const IMAGE_KEYS = new Set(['image', 'imageName']);

/**
 * 10. The Kubernetes manifests run the same major of a backing service as development (compose) and CI:
 * a team that runs its database in the cluster at 16 while compose and CI test against 18 finds out in
 * production. Compose against CI is `dev-prod-parity/same-versions`; this rule adds the manifests.
 */
export function serviceVersions({ repo, compose }: CheckContext): Finding[] {
  const manifests = repo.files
    .filter((file) => /\.ya?ml$/.test(file) && KUBERNETES_DIR.test(file))
    .flatMap((file) => declaredIn(file, repo.read(file)));
  if (manifests.length === 0) return [];
  const development = compose
    .filter((file) => !file.production)
    .flatMap((file) =>
      file.services.flatMap((service) => {
        const kind = service.image ? imageKind(service.image) : undefined;
        return kind?.major
          ? [{ kind: kind.kind, major: kind.major, image: service.image!, file: file.file, line: service.line }]
          : [];
      }),
    );
  const ci = repo.files.filter((file) => WORKFLOW.test(file)).flatMap((file) => declaredIn(file, repo.read(file)));
  const findings: Finding[] = [];
  for (const deployed of manifests) {
    for (const [where, others] of [
      ['development', development],
      ['CI', ci],
    ] as const) {
      const other = others.find((candidate) => candidate.kind === deployed.kind);
      if (!other || other.major === deployed.major) continue;
      findings.push({
        rule: 'dev-prod-parity/service-versions',
        severity: 'warn',
        message: `The Kubernetes manifests run ${deployed.kind} ${deployed.major} (${deployed.image}) but ${where} runs ${other.major} (${other.file}).`,
        file: deployed.file,
        ...(deployed.line === undefined ? {} : { line: deployed.line }),
        hint: `Run one major everywhere: change ${deployed.file} or ${other.file} so that both name ${deployed.kind} ${other.major} (or both ${deployed.major}).`,
      });
    }
  }
  return findings;
}

/** The backing-service images a YAML file names under `image`/`imageName` keys, at any depth. */
function declaredIn(file: string, text: string | undefined): Declared[] {
  if (text === undefined || !/image/.test(text)) return [];
  const found: Declared[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (IMAGE_KEYS.has(key) && typeof value === 'string') {
        const kind = imageKind(value);
        if (kind?.major)
          found.push({ kind: kind.kind, major: kind.major, image: value, file, line: lineOf(text, value) });
      } else visit(value);
    }
  };
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length === 0) visit(document.toJS());
  }
  return found;
}
