import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A loopback HTTP server whose behaviour a test controls, counting what it saw. */
export interface TestServer {
  readonly url: string;
  /** Requests seen, by path. */
  readonly counts: Map<string, number>;
  total(): number;
  close(): Promise<void>;
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** Default behaviour: `/delay/MS` answers after MS ms, `/status/N` answers N, anything else 200 "ok". */
export const defaultHandler: Handler = async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const delay = /^\/delay\/(\d+)/.exec(url.pathname);
  if (delay) await new Promise((r) => setTimeout(r, Number(delay[1])));
  const status = /^\/status\/(\d{3})/.exec(url.pathname);
  res.writeHead(status ? Number(status[1]) : 200, { 'content-type': 'text/plain' });
  res.end('ok');
};

/** Starts a server on 127.0.0.1, port 0. */
export async function startServer(handler: Handler = defaultHandler): Promise<TestServer> {
  const counts = new Map<string, number>();
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    counts.set(path, (counts.get(path) ?? 0) + 1);
    void handler(req, res);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    total: () => [...counts.values()].reduce((a, b) => a + b, 0),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
