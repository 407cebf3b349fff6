import { writeSync } from 'node:fs';
import { loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { createQueue, enqueue, parseJobArgs } from './queue.ts';
import { closeRedis, createRedis } from './redis.ts';

// npm run enqueue -- <job> [json-payload]: adds one job and prints its id, alone on stdout, so a
// script can capture it. Everything else (log events, problems) goes to stderr.

const parsed = parseJobArgs(process.argv.slice(2));
if (!parsed.ok) fail(parsed.problem);

const config = loadConfig();
const logger = createLogger(config, { fd: 2 });
// A one-off process should report a problem rather than wait for Redis: no reconnection, and a
// bound on connecting and on every command.
// Its own "redis unavailable" event (with a stack) is not logged: the one line below says it.
const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const redis = createRedis(config.REDIS_URL, quiet, 'enqueue', {
  retryStrategy: () => null,
  connectTimeout: 5_000,
  commandTimeout: 5_000,
});
const queue = createQueue(redis, logger);

let result: { id: string } | { problem: string };
try {
  result = { id: await enqueue(queue, parsed.value.name, parsed.value.payload) };
} catch (err) {
  // enqueue() rethrows a sanitized error, and Redis's own messages carry no command arguments.
  const { hostname, port } = new URL(config.REDIS_URL);
  result = { problem: `No job was added: ${(err as Error).message.replace(/\.$/, '')} (Redis at ${hostname}:${port || 6379}, REDIS_URL; start it or point REDIS_URL at one that runs).` };
}
await queue.close();
await closeRedis(redis);
if ('problem' in result) fail(result.problem);
writeSync(1, `${result.id}\n`);

function fail(problem: string): never {
  // Synchronous, like loadConfig's message: process.exit would drop a pending asynchronous write.
  writeSync(2, `${problem}\n`);
  process.exit(1);
}
