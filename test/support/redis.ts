/**
 * Scratch Redis databases for e2e scenarios, the way `databases.ts` gives them PostgreSQL databases.
 * A minimal RESP client over node:net, so the tests need no Redis package of their own.
 */
import net from 'node:net';

/** The server the tests may use; CI and this machine run one at this address. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export type RespReply = string | number | null | RespReply[];

/** Databases 1-15; 0 is left to whoever uses Redis without choosing, and holds only the claims below. */
const CANDIDATES = Array.from({ length: 15 }, (_, index) => index + 1);
/** A claim outlives a crashed test process by this long at most. */
const CLAIM_SECONDS = 1_800;
const claimKey = (db: number) => `create-twelve-app:test:redis-db:${db}`;
/** Deletes a claim only if it still holds the given owner. */
const RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

/** The databases this process reserved, in order; flushed and released by `releaseRedisDatabases()`. */
const reserved: number[] = [];

class RespError extends Error {}

/** Parses one reply from `buffer` at `offset`; undefined while the reply is incomplete. */
function parseReply(buffer: Buffer, offset: number): { value: RespReply | RespError; next: number } | undefined {
  const end = buffer.indexOf('\r\n', offset);
  if (end === -1) return undefined;
  const type = String.fromCharCode(buffer[offset] ?? 0);
  const line = buffer.toString('utf8', offset + 1, end);
  const next = end + 2;
  switch (type) {
    case '+':
      return { value: line, next };
    case '-':
      return { value: new RespError(line), next };
    case ':':
      return { value: Number(line), next };
    case '$': {
      const length = Number(line);
      if (length < 0) return { value: null, next };
      if (buffer.length < next + length + 2) return undefined;
      return { value: buffer.toString('utf8', next, next + length), next: next + length + 2 };
    }
    case '*': {
      const count = Number(line);
      if (count < 0) return { value: null, next };
      const items: RespReply[] = [];
      let at = next;
      for (let index = 0; index < count; index++) {
        const item = parseReply(buffer, at);
        if (item === undefined) return undefined;
        if (item.value instanceof RespError) return { value: item.value, next: item.next };
        items.push(item.value);
        at = item.next;
      }
      return { value: items, next: at };
    }
    default:
      throw new Error(`unexpected RESP reply type ${JSON.stringify(type)}`);
  }
}

function encode(args: readonly (string | number)[]): string {
  return `*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(String(arg))}\r\n${arg}\r\n`).join('')}`;
}

/**
 * Sends the commands on one new connection to database `db` of TEST_REDIS_URL and returns their
 * replies in order; an error reply rejects. Bounded by `timeoutMs`.
 */
export function redisCommands(
  db: number,
  commands: readonly (readonly (string | number)[])[],
  timeoutMs = 5_000,
): Promise<RespReply[]> {
  const url = new URL(TEST_REDIS_URL);
  const all = [['SELECT', db], ...commands];
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port || 6379), url.hostname);
    let buffer = Buffer.alloc(0);
    let offset = 0;
    const replies: RespReply[] = [];
    const finish = (err?: Error) => {
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(replies.slice(1));
    };
    const timer = setTimeout(() => finish(new Error(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
    socket.on('error', (err) => finish(err));
    socket.on('connect', () => socket.write(all.map(encode).join('')));
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (let parsed = parseReply(buffer, offset); parsed !== undefined; parsed = parseReply(buffer, offset)) {
        offset = parsed.next;
        if (parsed.value instanceof RespError) {
          finish(new Error(`Redis ${String(all[replies.length]?.[0])}: ${parsed.value.message}`));
          return;
        }
        replies.push(parsed.value);
        if (replies.length === all.length) {
          finish();
          return;
        }
      }
    });
  });
}

/** The URL of database `db` of TEST_REDIS_URL. */
export function redisUrl(db: number): string {
  const url = new URL(TEST_REDIS_URL);
  url.pathname = `/${db}`;
  return url.toString();
}

/** Whether a process that claimed a database is still running (a crashed run's claims are taken over). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function claim(db: number): Promise<boolean> {
  const owner = `${process.pid}`;
  const [set] = await redisCommands(0, [['SET', claimKey(db), owner, 'NX', 'EX', CLAIM_SECONDS]]);
  if (set === 'OK') return true;
  const [holder] = await redisCommands(0, [['GET', claimKey(db)]]);
  if (typeof holder !== 'string') return false;
  const pid = Number(holder);
  if (pid === process.pid || !Number.isInteger(pid) || alive(pid)) return false;
  // Taken over from a dead process: only if the claim is still the dead one's.
  const [deleted] = await redisCommands(0, [['EVAL', RELEASE, 1, claimKey(db), holder]]);
  if (deleted !== 1) return false;
  const [again] = await redisCommands(0, [['SET', claimKey(db), owner, 'NX', 'EX', CLAIM_SECONDS]]);
  return again === 'OK';
}

/**
 * A Redis database of its own for one scenario, emptied first; its URL. Numbers 1-15 not reserved by
 * another scenario of this process are tried in turn, and each is claimed in database 0 so that a
 * test run in another process does not take it too. An empty database is preferred, so that one in
 * use by something that does not claim it (a developer's local data) is flushed only when no
 * database is empty. Flushed and released by `releaseRedisDatabases()`.
 */
export async function freshRedis(): Promise<string> {
  const sizes = await redisCommands(
    0,
    CANDIDATES.flatMap((db) => [['SELECT', db], ['DBSIZE']]),
  );
  const sizeOf = (db: number) => Number(sizes[2 * CANDIDATES.indexOf(db) + 1]);
  const order = CANDIDATES.filter((db) => !reserved.includes(db)).sort(
    (a, b) => Number(sizeOf(a) > 0) - Number(sizeOf(b) > 0) || a - b,
  );
  for (const db of order) {
    if (!(await claim(db))) continue;
    reserved.push(db);
    await redisCommands(db, [['FLUSHDB']]);
    return redisUrl(db);
  }
  throw new Error(
    `no Redis database among 1-15 is free on ${TEST_REDIS_URL} (this process holds ${reserved.join(', ') || 'none'})`,
  );
}

/** The number of keys in the database of a URL from `freshRedis()`. */
export async function redisKeyCount(url: string): Promise<number> {
  const [size] = await redisCommands(Number(new URL(url).pathname.slice(1)), [['DBSIZE']]);
  return Number(size);
}

/** Empties every database this process reserved (FLUSHDB, each on its own) and gives up its claims. */
export async function releaseRedisDatabases(): Promise<void> {
  for (const db of reserved.splice(0)) {
    await redisCommands(db, [['FLUSHDB']]);
    await redisCommands(0, [['EVAL', RELEASE, 1, claimKey(db), `${process.pid}`]]);
  }
}

/** Empties one database from `freshRedis()` and gives up its claim, for suites that use more than 15 in turn. */
export async function releaseRedisDatabase(url: string): Promise<void> {
  const db = Number(new URL(url).pathname.slice(1));
  const index = reserved.indexOf(db);
  if (index === -1) return;
  reserved.splice(index, 1);
  await redisCommands(db, [['FLUSHDB']]);
  await redisCommands(0, [['EVAL', RELEASE, 1, claimKey(db), `${process.pid}`]]);
}
