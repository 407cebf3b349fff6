/**
 * Spotlight's sidecar, the receiver of Sentry envelopes the e2e tests report to, started through its
 * library entry: its CLI also reports Spotlight's own telemetry to sentry.io, which a test must not
 * try to reach. `node test/support/spotlight-server.ts <port>`; prints `listening` once it accepts.
 */
import { setupSpotlight } from '@spotlightjs/spotlight';

const port = Number(process.argv[2]);
await setupSpotlight({ port, isStandalone: true });
console.log('listening');
