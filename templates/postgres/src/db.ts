import { Kysely, PostgresDialect, type Generated } from 'kysely';
import { Pool } from 'pg';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';

export interface Database {
  notes: NotesTable;
}

export interface NotesTable {
  // pg returns int8 as a string: a JavaScript number cannot hold every bigint.
  id: Generated<string>;
  text: string;
  created_at: Generated<Date>;
}

export type Db = Kysely<Database>;

export function createDb(
  config: Pick<Config, 'DATABASE_URL' | 'DATABASE_POOL_MAX' | 'DATABASE_STATEMENT_TIMEOUT_MS'>,
  logger: Logger,
): Db {
  // 0 turns the timeout off (migrations: a schema change may rightly take long).
  const timeoutMs = config.DATABASE_STATEMENT_TIMEOUT_MS || undefined;
  const pool = new Pool({
    connectionString: config.DATABASE_URL,
    max: config.DATABASE_POOL_MAX,
    // pg waits forever for a connection by default; an unreachable database must fail queries instead,
    // and within the statement timeout when there is one, so a request never waits longer than that.
    connectionTimeoutMillis: Math.min(5_000, timeoutMs ?? 5_000),
    // The server cancels a statement that runs too long; the client gives up at the same time on its
    // own, for a database that hangs (paused, half-open connection) and cannot cancel anything.
    ...(timeoutMs === undefined ? {} : { statement_timeout: timeoutMs, query_timeout: timeoutMs }),
  });
  // An idle connection that drops (database restart, failover) is reported here. Without a listener
  // the 'error' event would crash the process; the pool already discards the connection and opens
  // a new one on the next query.
  pool.on('error', (err) => logger.error({ err }, 'database connection lost'));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
