// The Hubbub chat page: the original chat example's home.html in plain DOM, speaking the
// hubbub.v1 subprotocol (docs/protocol.md): each frame from the hub is a JSON array of items;
// every message, ours included, comes back from the hub.

const log = document.getElementById('log');
const form = document.getElementById('form');
const msg = document.getElementById('msg');
const send = form.querySelector('button[type="submit"]');

/** Appends one line as text; keeps the view pinned to the bottom only if it already was. */
const appendLog = (text, className) => {
  const atBottom = log.scrollTop > log.scrollHeight - log.clientHeight - 1;
  const item = document.createElement('div');
  if (className !== undefined) item.className = className;
  item.textContent = text;
  log.append(item);
  if (atBottom) log.scrollTop = log.scrollHeight - log.clientHeight;
};

/** `connecting`, `open`, `closed` or `unsupported`; Send is enabled only while `open`. */
const setState = (state) => {
  form.dataset.state = state;
  send.disabled = state !== 'open';
};

/** Opens `/ws` on the page's own host, over TLS when the page came over TLS. */
const connect = () => {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const conn = new WebSocket(`${scheme}//${location.host}/ws`, 'hubbub.v1');
  conn.addEventListener('open', () => setState('open'));
  conn.addEventListener('message', (event) => {
    if (typeof event.data !== 'string') return;
    for (const item of JSON.parse(event.data)) {
      if (item.type === 'message') appendLog(item.text); // other item types are for later
    }
  });
  conn.addEventListener('close', () => {
    setState('closed');
    appendLog('Connection closed.', 'notice');
  });
  return conn;
};

let conn;
if (window.WebSocket) {
  conn = connect();
} else {
  setState('unsupported');
  appendLog('Your browser does not support WebSockets.', 'notice');
}

form.addEventListener('submit', (event) => {
  event.preventDefault(); // never reload the page
  if (conn === undefined || conn.readyState !== conn.OPEN || msg.value === '') return;
  conn.send(JSON.stringify({ type: 'send', text: msg.value }));
  msg.value = '';
  msg.focus();
});
