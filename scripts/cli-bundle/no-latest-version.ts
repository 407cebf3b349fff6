/**
 * Stands in for `latest-version` in the bundled CLI. yeoman-generator imports it to fill in a dependency
 * added without a version; every version we write comes from the app model, pinned, so it is never called.
 * Loading it brought `package-json` and `ky`, whose first lines start Node's fetch (undici): about a tenth
 * of a scaffold's time. Should a generator ever ask for a latest version, it refuses instead.
 */
export default function latestVersion(packageName: string): never {
  throw new Error(`create-twelve-app pins every dependency it writes: no version given for ${packageName}`);
}
