/**
 * Stands in for `fly-import` in the bundled CLI. yeoman-environment imports it to install generators
 * from npm at run time (it brings npm's installer: @npmcli/arborist, pacote, sigstore); we register our
 * own generators and never install one, so loading it cost every run for nothing. The environment builds a
 * repository in its constructor, so the class exists; anything that would install or import refuses.
 */
const REFUSED = 'create-twelve-app never installs Yeoman generators at run time';

export class FlyRepository {
  repositoryPath: string;
  nodeModulesPath: string;
  constructor(config: { repositoryPath: string }) {
    this.repositoryPath = config.repositoryPath;
    this.nodeModulesPath = `${config.repositoryPath}/node_modules`;
  }
  load(): never {
    throw new Error(REFUSED);
  }
  install(): never {
    throw new Error(REFUSED);
  }
  import(): never {
    throw new Error(REFUSED);
  }
  resolve(): never {
    throw new Error(REFUSED);
  }
}

export function flyImport(): never {
  throw new Error(REFUSED);
}
