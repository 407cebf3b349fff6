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
