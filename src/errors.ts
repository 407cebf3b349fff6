/**
 * The three ways a run can end badly. Only the CLI entry turns them into output and exit codes, so
 * every other module just throws.
 */

/** Bad input: one sentence saying what is wrong and what to do next. Exit 1 (2 for usage, like `check`). */
export class UserError extends Error {
  override readonly name = 'UserError';
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** The user pressed Ctrl-C. Exit 130, as shells do for SIGINT. */
export class CancelError extends Error {
  override readonly name = 'CancelError';
  constructor(message = 'Cancelled.') {
    super(message);
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof Error && error.name === 'UserError';
}

/** Inquirer and Yeoman's adapter report Ctrl-C at a prompt in several shapes; all mean "cancel". */
export function isCancel(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return (
    error.name === 'CancelError' ||
    error.name === 'ExitPromptError' ||
    error.name === 'AbortPromptError' ||
    error.name === 'AbortError' ||
    /force closed|User force closed|aborted/i.test(error.message)
  );
}

/**
 * Ends the process after Ctrl-C with status 130. Run by `npm create`/`npx` (npm's `npx` lifecycle), npm
 * starts us through `sh -c` and prints five `npm error` lines for any exit code, 130 included; only a
 * shell and an npm that were themselves interrupted stay quiet. A Ctrl-C read by a prompt in raw mode
 * sends no signal to anyone, so we send SIGINT to our process group, as the terminal would have.
 */
export function exitInterrupted(): void {
  if (process.env.npm_lifecycle_event !== 'npx') {
    process.exit(130);
  }
  process.removeAllListeners('SIGINT');
  process.kill(0, 'SIGINT');
  // The default action ends the process at once; this only covers a platform without process groups.
  setTimeout(() => process.exit(130), 1_000);
}
