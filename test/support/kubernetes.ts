/**
 * Kubernetes manifests as a cluster would get them: `kubectl kustomize` (kubectl's built-in Kustomize,
 * what `kubectl apply -k` runs) builds a base or overlay, and every object is validated against the
 * official Kubernetes OpenAPI schemas as kubernetes-models compiles them.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { CronJob, Job } from 'kubernetes-models/batch/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Secret, Service } from 'kubernetes-models/v1';
import { parseAllDocuments } from 'yaml';

/** A Kubernetes object as parsed YAML; the tests read it through these loose shapes. */
export type KubeObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec?: any;
  data?: Record<string, string>;
};

/** Every kind the projection may emit, with its schema-checked model. Anything else fails validation. */
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'apps/v1 Deployment': Deployment,
  'batch/v1 Job': Job,
  'batch/v1 CronJob': CronJob,
  'autoscaling/v2 HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1 PodDisruptionBudget': PodDisruptionBudget,
  'v1 ConfigMap': ConfigMap,
  'v1 Secret': Secret,
  'v1 Service': Service,
};

/** Throws with the object's kind, name and the schema's complaint. */
export function validateObject(object: KubeObject): void {
  const Model = MODELS[`${object.apiVersion} ${object.kind}`];
  if (!Model)
    throw new Error(`${object.apiVersion} ${object.kind} ${object.metadata?.name}: no schema known for this kind`);
  try {
    new Model(object as never).validate();
  } catch (err) {
    throw new Error(`${object.kind} ${object.metadata.name} is invalid: ${(err as Error).message}`);
  }
}

export function parseObjects(text: string): KubeObject[] {
  return parseAllDocuments(text)
    .map((document) => {
      if (document.errors.length > 0) throw document.errors[0];
      return document.toJS() as KubeObject | null;
    })
    .filter((object): object is KubeObject => object !== null);
}

/** Writes the given app files below `dir`. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [file, contents] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), contents);
  }
}

/** `kubectl kustomize <dir>`, parsed. */
export function kustomize(dir: string): KubeObject[] {
  let output: string;
  try {
    output = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const error = err as NodeJS.ErrnoException & { stderr?: string };
    if (error.code === 'ENOENT')
      throw new Error(
        'kubectl is not installed: these tests build the manifests with its built-in Kustomize (kubectl 1.21 or later)',
      );
    throw new Error(`kubectl kustomize ${dir} failed: ${error.stderr ?? error.message}`);
  }
  return parseObjects(output);
}
