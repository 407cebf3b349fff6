/**
 * Stands in for `@inquirer/external-editor` in the bundled CLI. Inquirer's prompt collection imports the
 * `editor` prompt, which opens $EDITOR through it; none of our questions is an editor prompt. Loading it
 * brought iconv-lite and chardet, about a sixth of the scaffold's code. Should one ever be asked, it refuses.
 */
export function editAsync(): never {
  throw new Error('create-twelve-app asks no question in an external editor');
}

export function edit(): never {
  return editAsync();
}
