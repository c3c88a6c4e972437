// A tiny HTTP server for trying squall locally: GET /hello answers "hello"; /slow waits 100 ms.
// Usage: node examples/hello-server.mjs [port]   (default 8080, loopback only)
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? 8080);
const server = createServer(async (req, res) => {
  if (req.url?.startsWith('/slow')) await new Promise((r) => setTimeout(r, 100));
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('hello\n');
});
server.listen(port, '127.0.0.1', () => console.log(`hello server on http://127.0.0.1:${port}`));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.close(() => process.exit(0)));
