import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The server the tests may create databases on; CI and this machine run one at this address. */
export const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const created: string[] = [];

/** A new, empty database for one scenario; its URL. Dropped by `dropDatabases()`. */
export async function freshDatabase(label: string): Promise<string> {
  const name = `twelve_${label}_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
  created.push(name);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

export async function dropDatabases(): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    for (const name of created.splice(0)) await client.query(`drop database if exists ${name} with (force)`);
  } finally {
    await client.end();
  }
}
