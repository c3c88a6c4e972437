import { connect, JSONCodec, StorageType, type JetStreamClient, type NatsConnection } from 'nats';
import { SquallError } from '../../errors.js';

/**
 * Where a fleet meets: two JetStream streams per run, so every message is kept and a late joiner
 * reads what it missed. `<run>` is the run id (letters, digits, - and _):
 *   SQUALL_<run>_DATA  squall.<run>.data.{ready,iv,done}.<index>   instances -> coordinator
 *   SQUALL_<run>_CTL   squall.<run>.ctl.{start,setup,abort,fail,result}   coordinator -> instances
 * Heartbeats are plain NATS messages on squallhb.<run>.<index> (nothing to keep).
 */
export const codec = JSONCodec<unknown>();

export interface FleetTransport {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly runId: string;
}

export function checkRunId(runId: string): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(runId)) {
    throw new SquallError('SQUALL_USAGE', `--run-id: must be 1-64 letters, digits, - or _, but is "${runId}"`);
  }
  return runId;
}

export const dataStream = (runId: string) => `SQUALL_${runId}_DATA`;
export const ctlStream = (runId: string) => `SQUALL_${runId}_CTL`;
export const dataSubject = (runId: string, kind: 'ready' | 'iv' | 'done', index: number) => `squall.${runId}.data.${kind}.${index}`;
export const ctlSubject = (runId: string, kind: ControlKind) => `squall.${runId}.ctl.${kind}`;
export const heartbeatSubject = (runId: string, index: number | '*') => `squallhb.${runId}.${index}`;

export type ControlKind = 'start' | 'setup' | 'abort' | 'fail' | 'result';

/** Connects and creates the run's streams (idempotent: every instance does it, the same config each time). */
export async function openTransport(url: string, runId: string, name: string): Promise<FleetTransport> {
  checkRunId(runId);
  let nc: NatsConnection;
  try {
    // A pod may start before the NATS Service answers: keep trying for about 30 s.
    nc = await connect({ servers: url, name, timeout: 5000, waitOnFirstConnect: true, maxReconnectAttempts: 15, reconnectTimeWait: 2000 });
  } catch (err) {
    throw new SquallError('SQUALL_INCOMPLETE', `cannot reach the coordination service at ${url} (${(err as Error).message}); start nats-server with JetStream (-js) there, or pass --nats / --coordinator with its URL`, { cause: err });
  }
  try {
    const jsm = await nc.jetstreamManager();
    const common = { storage: StorageType.Memory, max_age: 6 * 3600 * 1e9, num_replicas: 1 };
    for (const [stream, subject] of [[dataStream(runId), `squall.${runId}.data.>`], [ctlStream(runId), `squall.${runId}.ctl.>`]] as const) {
      try {
        await jsm.streams.add({ ...common, name: stream, subjects: [subject] });
      } catch (err) {
        // Another instance created it a moment earlier with the same config.
        if (!/already in use|exists/i.test((err as Error).message)) throw err;
      }
    }
    return { nc, js: nc.jetstream(), runId };
  } catch (err) {
    await nc.close().catch(() => {});
    throw new SquallError('SQUALL_INCOMPLETE', `the coordination service at ${url} has no JetStream (${(err as Error).message}); run nats-server with -js`, { cause: err });
  }
}

/** Reads a stream from its first message on, calling `onMessage` for each, until `stop()`. */
export async function follow(t: FleetTransport, stream: string, onMessage: (subject: string, data: unknown, bytes: number) => void): Promise<{ stop(): void }> {
  const consumer = await t.js.consumers.get(stream);
  const messages = await consumer.consume();
  void (async () => {
    for await (const m of messages) onMessage(m.subject, codec.decode(m.data), m.data.length);
  })().catch(() => {});
  return { stop: () => void messages.close().catch(() => {}) };
}
