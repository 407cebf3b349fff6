import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.ts';
import type { TemplateRef } from '../model/types.ts';
import { ownVersion } from '../paths.ts';
import type { FetchedTemplate } from './fetch.ts';
import { fetchTemplate, recordedSource, refetchTemplate } from './fetch.ts';
import { houseFiles, isInside } from './files.ts';
import type { Manifest } from './manifest.ts';
import { checkCompatible, MANIFEST_FILE, parseManifestText } from './manifest.ts';

/** A house template ready to use: on disk, its manifest valid, its files safe, this CLI new enough. */
export interface HouseTemplate extends FetchedTemplate {
  manifest: Manifest;
}

/** `--template <spec>`: fetched, then checked whole before anything is asked or written. */
export async function loadTemplate(spec: string, cwd: string): Promise<HouseTemplate> {
  return inspect(await fetchTemplate(spec, cwd));
}

/** The template recorded in an app's `.yo-rc.json` (see `refetchTemplate`). */
export async function reloadTemplate(
  ref: TemplateRef,
  appDir: string,
  options: { latest?: boolean } = {},
): Promise<HouseTemplate> {
  return inspect(await refetchTemplate(ref, appDir, options));
}

/** What `.yo-rc.json` records about the template an app was generated from. */
export function templateRef(house: HouseTemplate, appDir: string, answers: TemplateRef['answers']): TemplateRef {
  return { name: house.name, version: house.version, source: recordedSource(house, appDir), type: house.type, answers };
}

function inspect(fetched: FetchedTemplate): HouseTemplate {
  const file = path.join(fetched.root, MANIFEST_FILE);
  const where = `The house template ${fetched.name}'s ${MANIFEST_FILE}`;
  if (!fs.existsSync(file)) {
    throw new UserError(
      `${fetched.name} has no ${MANIFEST_FILE}, so it is not a create-twelve-app house template (create one with \`create-twelve-app template init <name>\`).`,
    );
  }
  if (!isInside(fs.realpathSync(fetched.root), fs.realpathSync(file))) {
    throw new UserError(`${where} is a symbolic link pointing outside the template: make it a file.`);
  }
  const manifest = parseManifestText(fs.readFileSync(file, 'utf8'), where);
  checkCompatible(manifest, fetched.name, ownVersion());
  houseFiles(fetched.root, fetched.name);
  return { ...fetched, manifest };
}
