import { sql } from 'kysely';
import type { Db } from './db.ts';

/**
 * The major version of the PostgreSQL server behind `db`: 15 for 15.4. Read from `server_version_num`,
 * which is a number on every server (`server_version` may carry a distributor's suffix).
 */
export async function postgresMajor(db: Db, signal: AbortSignal): Promise<number | undefined> {
  const { rows } = await sql<{ server_version_num: string }>`show server_version_num`.execute(db, { signal });
  return parsePostgresMajor(rows[0]?.server_version_num);
}

/** `150004` → 15; from PostgreSQL 10 on, the major is the number divided by 10000. Undefined when unreadable. */
export function parsePostgresMajor(serverVersionNum: string | undefined): number | undefined {
  if (serverVersionNum === undefined || !/^\d{5,}$/.test(serverVersionNum)) return undefined;
  return Math.floor(Number(serverVersionNum) / 10_000);
}
