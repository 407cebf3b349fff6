import { Client } from 'pg';

/** A failure an operator can act on: one sentence, logged without a stack trace. */
export class DatabaseUnavailable extends Error {}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET']);

/**
 * Connects once before migrating, so that the failures to expect (no server, no database, a wrong
 * password) are one sentence instead of a stack trace. With `create` (`npm run migrate:dev`, in
 * development and in the tests) a database that does not exist yet is created on the same server, as
 * Prisma's `migrate dev` and Rails' `db:prepare` do; the release process never creates one: on a
 * platform a missing database is a wrong DATABASE_URL. Returns whether it created the database.
 */
export async function prepareDatabase(url: string, { create }: { create: boolean }): Promise<{ created: string | undefined }> {
  const target = new URL(url);
  const server = `${target.hostname}:${target.port || '5432'}`;
  const database = decodeURIComponent(target.pathname.slice(1)) || decodeURIComponent(target.username);
  const error = await connectOnce(url);
  if (error === undefined) return { created: undefined };
  if (error.code === '3D000') {
    if (!create) {
      throw new DatabaseUnavailable(`Database "${database}" does not exist on ${server}: create it, or check DATABASE_URL (in development, npm run migrate:dev creates it).`);
    }
    await createDatabase(target, database, server);
    return { created: database };
  }
  throw explain(error, server) ?? error;
}

async function createDatabase(target: URL, database: string, server: string): Promise<void> {
  // Connected to the server's maintenance database, the one every PostgreSQL has.
  const admin = new URL(target);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query(`create database "${database.replaceAll('"', '""')}"`);
  } catch (err) {
    const error = err as NodeJS.ErrnoException;
    // Another `npm run migrate:dev` created it meanwhile.
    if (error.code === '42P04') return;
    if (error.code === '42501') {
      throw new DatabaseUnavailable(`The user in DATABASE_URL may not create databases on ${server}: create "${database}" as an administrator (createdb ${database}), then run this again.`);
    }
    throw explain(error, server) ?? error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function connectOnce(url: string): Promise<NodeJS.ErrnoException | undefined> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    return undefined;
  } catch (err) {
    return err as NodeJS.ErrnoException;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function explain(error: NodeJS.ErrnoException, server: string): DatabaseUnavailable | undefined {
  // pg reports a connect timeout as a plain Error without a code.
  if (UNREACHABLE.has(error.code ?? '') || /timeout/i.test(error.message)) {
    return new DatabaseUnavailable(`Cannot reach PostgreSQL at ${server}: start it (docker compose up -d, or your own PostgreSQL) or point DATABASE_URL at a server that runs.`);
  }
  if (error.code === '28P01' || error.code === '28000') {
    return new DatabaseUnavailable(`PostgreSQL at ${server} refused the user or password in DATABASE_URL: ${error.message}.`);
  }
  return undefined;
}
