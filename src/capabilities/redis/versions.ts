/** The Redis major of docker-compose and CI; the one the worker's queue is tested against. */
export const REDIS_MAJOR = 7;

export const dependencies = { ioredis: '6.0.0' };
