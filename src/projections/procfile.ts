import type { AppModel } from '../model/types.ts';

export function renderProcfile(model: AppModel): string {
  return model.processes.map((process) => `${process.name}: ${process.command}\n`).join('');
}
