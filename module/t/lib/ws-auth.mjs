// node ws-auth.mjs URL TICKET: opens the hub's browser socket, sends the ticket, and prints the
// first frame the hub answers (one JSON line). For the prove tests.
import WebSocket from 'ws';

const [url, ticket] = process.argv.slice(2);
const ws = new WebSocket(url);
const timer = setTimeout(() => { console.log(JSON.stringify({ type: 'timeout' })); process.exit(1); }, 10_000);
ws.on('open', () => ws.send(JSON.stringify({ v: 1, type: 'auth', ticket })));
ws.on('message', (data) => {
  clearTimeout(timer);
  console.log(String(data));
  ws.close();
  process.exit(0);
});
ws.on('error', (e) => { console.log(JSON.stringify({ type: 'socket-error', message: e.message })); process.exit(1); });
