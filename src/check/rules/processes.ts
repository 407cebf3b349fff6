import type { CheckContext } from '../context.ts';
import { atEach, type Finding } from '../types.ts';

/** 6. Stateless processes: no uploads on local disk, no sessions in memory, no files kept between requests. */
export function processes({ facts }: CheckContext): Finding[] {
  return [
    ...atEach(facts.memorySessions, 'processes', (session) => ({
      severity: 'fail',
      message: `Sessions are kept in the process's memory (${session.what}): they are lost on restart and differ between processes.`,
      hint: 'Give the session middleware a store in a backing service (Redis, the database), or use signed cookie sessions.',
    })),
    ...atEach(facts.diskUploads, 'processes', (upload) => ({
      severity: 'fail',
      message: `Uploads are stored on the local disk (${upload.what}).`,
      hint: 'Stream uploads to object storage (S3 or compatible) and keep only the key in the database.',
    })),
    ...atEach(facts.fileWrites.filter((write) => write.kind === 'upload' || write.kind === 'other'), 'processes', (write) => ({
      severity: write.kind === 'upload' ? 'fail' : 'warn',
      message: `The app writes ${write.target} to the local disk, which other processes and the next deploy will not see.`,
      hint: 'Keep anything that must outlive the request in a backing service; use os.tmpdir() for scratch files within one request.',
    })),
  ];
}
