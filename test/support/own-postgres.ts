import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { freePort } from './http.ts';

/**
 * A PostgreSQL cluster of the test's own, for what must never be done to the shared server: pausing it
 * with SIGSTOP. `initdb` into a temp dir as the `postgres` OS user (the server refuses to run as root),
 * on a free port, its socket in its own folder. `stop()` resumes and stops it and removes the folder.
 */
export interface OwnPostgres {
  url: string;
  /** SIGSTOP (or SIGCONT) to the postmaster and every backend: a database that hangs rather than refuses. */
  signal: (signal: 'SIGSTOP' | 'SIGCONT') => Promise<void>;
  stop: () => Promise<void>;
}

export async function ownPostgres(): Promise<OwnPostgres> {
  const bin = findBin();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'twelve-own-pg-'));
  const data = path.join(dir, 'data');
  const port = await freePort();
  const asPostgres = (file: string, args: string[]) =>
    execa('runuser', ['-u', 'postgres', '--', path.join(bin, file), ...args], { stdin: 'ignore' });
  await execa('chown', ['postgres', dir]);
  await asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '--no-instructions']);
  await asPostgres('pg_ctl', [
    '-D',
    data,
    '-l',
    path.join(dir, 'log'),
    '-w',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
    'start',
  ]);
  const postmaster = Number(fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const pids = async () => {
    const children = await execa('pgrep', ['-P', String(postmaster)], { reject: false });
    return [postmaster, ...String(children.stdout).split('\n').filter(Boolean).map(Number)];
  };
  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    signal: async (signal) => {
      for (const pid of await pids()) {
        try {
          process.kill(pid, signal);
        } catch {
          // A backend that just exited.
        }
      }
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      for (const pid of await pids()) {
        try {
          process.kill(pid, 'SIGCONT');
        } catch {
          // gone already
        }
      }
      await asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => {
        process.kill(postmaster, 'SIGKILL');
      });
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function findBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const found = versions
    .map((version) => path.join(root, version, 'bin'))
    .find((bin) => fs.existsSync(path.join(bin, 'initdb')));
  if (!found) throw new Error(`no initdb under ${root}/*/bin: install the PostgreSQL server package`);
  return found;
}
