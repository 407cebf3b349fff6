import type { CheckContext } from '../context.ts';
import type { Finding } from '../types.ts';

/** 6. Stateless processes: no uploads on local disk, no sessions in memory, no files kept between requests. */
export function processes({ facts }: CheckContext): Finding[] {
  const findings: Finding[] = [];
  for (const session of facts.memorySessions) {
    findings.push({
      factor: 'processes',
      severity: 'fail',
      message: `Sessions are kept in the process's memory (${session.what}): they are lost on restart and differ between processes.`,
      file: session.file,
      line: session.line,
      hint: 'Give the session middleware a store in a backing service (Redis, the database), or use signed cookie sessions.',
    });
  }
  for (const upload of facts.diskUploads) {
    findings.push({
      factor: 'processes',
      severity: 'fail',
      message: `Uploads are stored on the local disk (${upload.what}).`,
      file: upload.file,
      line: upload.line,
      hint: 'Stream uploads to object storage (S3 or compatible) and keep only the key in the database.',
    });
  }
  for (const write of facts.fileWrites) {
    if (write.kind !== 'upload' && write.kind !== 'other') continue;
    findings.push({
      factor: 'processes',
      severity: write.kind === 'upload' ? 'fail' : 'warn',
      message: `The app writes ${write.target} to the local disk, which other processes and the next deploy will not see.`,
      file: write.file,
      line: write.line,
      hint: 'Keep anything that must outlive the request in a backing service; use os.tmpdir() for scratch files within one request.',
    });
  }
  return findings;
}
