import fs from 'node:fs';
import path from 'node:path';
import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium: installed by .ci/run when missing (a test tool's own browser download cannot work here). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Screenshots and other artefacts a person may want to look at after a run. */
export const OUTPUT_DIR = path.join(import.meta.dirname, '..', '..', 'test-output');

/**
 * Headless Chromium as root in a sandbox with no internet: no sandbox (root), no GPU, and no background
 * networking, whose many refused connections to Google would slow every start.
 */
export function launchBrowser(): Promise<Browser> {
  // Without this, a missing browser shows up as a long Playwright error (or, before, a run that hung).
  try {
    fs.accessSync(CHROMIUM, fs.constants.X_OK);
  } catch {
    return Promise.reject(
      new Error(
        `No Chromium at ${CHROMIUM}: install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH.`,
      ),
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

export function outputPath(name: string): string {
  fs.mkdirSync(OUTPUT_DIR, { recursive: true });
  return path.join(OUTPUT_DIR, name);
}
