import { isMap, isScalar, isSeq, LineCounter, type Node, parseAllDocuments, type YAMLMap } from 'yaml';
import type { CheckContext } from '../context.ts';
import type { Finding } from '../types.ts';

interface Container {
  file: string;
  line: number;
  /** `command` and `args` joined as a shell would see them; undefined when the image's CMD runs. */
  command: string | undefined;
}

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob']);

/**
 * 8. The Procfile and the Kubernetes manifests declare the same processes: a process type the manifests
 * do not run is missing from production (fail), and a command the Procfile does not declare is a
 * process nobody runs locally the same way (warn: it may be a sidecar).
 */
export function manifestsAgree({ repo, procfile, deployFiles }: CheckContext): Finding[] {
  if (!procfile) return [];
  const containers = deployFiles
    .filter((file) => /\.ya?ml$/.test(file))
    .flatMap((file) => containersOf(file, repo.read(file) ?? ''));
  const declared = containers.filter((container) => container.command !== undefined);
  const procfileCommands = new Set(procfile.processes.map((process) => process.command));
  // Manifests that run none of the Procfile's commands describe something else (another app, a chart's defaults).
  if (!declared.some((container) => procfileCommands.has(container.command!))) return [];
  const findings: Finding[] = [];
  for (const process of procfile.processes) {
    if (declared.some((container) => container.command === process.command)) continue;
    findings.push({
      rule: 'concurrency/manifests-agree',
      severity: 'fail',
      message: `The Procfile's ${process.type} process (\`${process.command}\`) is run by no Kubernetes workload.`,
      file: procfile.file,
      line: process.line,
      hint: 'Declare it in the manifests too (a Deployment for a long-running process, a Job for a release), or re-render them: `create-twelve-app update`.',
    });
  }
  for (const container of declared) {
    if (procfileCommands.has(container.command!)) continue;
    findings.push({
      rule: 'concurrency/manifests-agree',
      severity: 'warn',
      message: `${container.file} runs \`${container.command}\`, which the Procfile does not declare.`,
      file: container.file,
      line: container.line,
      hint: 'Add it to the Procfile as a process type (or correct the command), so every environment runs the same processes.',
    });
  }
  return findings;
}

function containersOf(file: string, text: string): Container[] {
  const lineCounter = new LineCounter();
  const containers: Container[] = [];
  for (const document of parseAllDocuments(text, { lineCounter })) {
    if (document.errors.length > 0 || !isMap(document.contents)) continue;
    if (!WORKLOADS.has(String(document.get('kind')))) continue;
    const list = findPodSpec(document.contents)?.get('containers');
    if (!isSeq(list)) continue;
    for (const item of list.items) {
      if (!isMap(item)) continue;
      const parts = [item.get('command'), item.get('args')].flatMap((value) =>
        isSeq(value) ? value.items.map((part) => String(isScalar(part) ? part.value : part)) : [],
      );
      const at = (item.get('command', true) as Node | undefined)?.range?.[0] ?? item.range?.[0] ?? 0;
      containers.push({
        file,
        line: lineCounter.linePos(at).line,
        command: item.get('command') === undefined ? undefined : parts.join(' '),
      });
    }
  }
  return containers;
}

/** spec.template.spec (Deployment, Job, ...) or spec.jobTemplate.spec.template.spec (CronJob). */
function findPodSpec(root: YAMLMap): YAMLMap | undefined {
  for (const path of [
    ['spec', 'template', 'spec'],
    ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  ]) {
    const node = root.getIn(path);
    if (isMap(node)) return node;
  }
  return undefined;
}
