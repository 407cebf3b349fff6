import type { CheckContext } from '../context.ts';
import { atEach, type Finding } from '../types.ts';

/** 6. Stateless processes: no uploads on local disk, no sessions in memory, nothing kept between requests. */
export function processes({ facts }: CheckContext): Finding[] {
  return [
    ...atEach(facts.memorySessions, 'processes/no-memory-sessions', (session) => ({
      severity: 'fail',
      message: `Sessions are kept in the process's memory (${session.what}): they are lost on restart and differ between processes.`,
      hint: 'Give the session middleware a store in a backing service (Redis, the database), or use signed cookie sessions.',
    })),
    ...atEach(facts.diskUploads, 'processes/no-local-storage', (upload) => ({
      severity: 'fail',
      message: `Uploads are stored on the local disk (${upload.what}).`,
      hint: 'Stream uploads to object storage (S3 or compatible) and keep only the key in the database.',
    })),
    ...atEach(
      facts.fileWrites.filter((write) => write.kind === 'upload' || write.kind === 'other'),
      'processes/no-local-storage',
      (write) => ({
        severity: write.kind === 'upload' ? 'fail' : 'warn',
        message: `The app writes ${write.target} to the local disk, which other processes and the next deploy will not see.`,
        hint: 'Keep anything that must outlive the request in a backing service; use os.tmpdir() for scratch files within one request.',
      }),
    ),
    ...atEach(facts.memoryRateLimits, 'processes/shared-rate-limit', (limit) => ({
      severity: 'warn',
      message: `Rate limits are counted in each process's memory (${limit.what}): with several processes a client gets the limit once per process.`,
      hint: 'Give the rate limiter a shared store (Redis) in production.',
    })),
    ...atEach(facts.moduleCaches, 'processes/no-module-cache', (cache) => ({
      severity: 'warn',
      message: `A module-level cache (${cache.what}) lives as long as the process: each process caches differently and a restart empties it.`,
      hint: 'Cache in a backing service (Redis) with an expiry, or keep the cache within one request.',
    })),
    ...atEach(facts.tmpFiles, 'processes/no-module-cache', (file) => ({
      severity: 'warn',
      message: `The app writes a temp file with a fixed name (${file.target}): it outlives the request and is shared by every request of the process.`,
      hint: 'Use a fresh temp directory per request (fs.mkdtemp) and remove it when the request ends.',
    })),
  ];
}
