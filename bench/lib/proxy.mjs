// A round-robin HTTP proxy in front of N processes of one kind (API processes, or the raw-pg baseline servers), as a
// load balancer would be: each request goes to the next upstream, bodies streamed, keep-alive on both sides.
// Child process: PORT, UPSTREAMS=port,port,…  (all on 127.0.0.1). GET /__proxy reports requests per upstream.
import http from 'node:http';

const upstreams = (process.env.UPSTREAMS ?? '').split(',').filter(Boolean).map(Number);
if (!upstreams.length) { process.stderr.write('UPSTREAMS is empty\n'); process.exit(2); }
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const served = upstreams.map(() => 0);
let next = 0;

const server = http.createServer((req, res) => {
  if (req.url === '/__proxy') { res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ upstreams, served })); return; }
  const k = next;
  next = (next + 1) % upstreams.length;
  served[k]++;
  const up = http.request({ host: '127.0.0.1', port: upstreams[k], method: req.method, path: req.url, headers: req.headers, agent }, (r) => {
    res.writeHead(r.statusCode, r.headers);
    r.pipe(res);
  });
  up.on('error', (e) => { if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' }); res.end(`proxy: ${e.message}`); });
  req.pipe(up);
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => { server.close(); process.exit(0); });
