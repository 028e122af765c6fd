// The Hubbub chat page: the original chat example's home.html in plain DOM. It speaks the
// hubbub.v1 subprotocol over WebSocket (docs/protocol.md): each frame from the hub is a JSON array
// of items; every message, ours included, comes back from the hub. Where the browser has no
// WebSocket, or the WebSocket cannot connect (a proxy that blocks it), it falls back to
// Server-Sent Events: `GET /events` to receive, `POST /send` to send.

const log = document.getElementById('log');
const form = document.getElementById('form');
const msg = document.getElementById('msg');
const send = form.querySelector('button[type="submit"]');
const transportStatus = document.getElementById('transport');

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

/** Says in the status line which transport the page uses (`websocket`, `sse` or none). */
const setTransport = (transport, text) => {
  if (transport === undefined) delete transportStatus.dataset.transport;
  else transportStatus.dataset.transport = transport;
  transportStatus.textContent = text;
};

/** `why`: the server's reason when it refused this client (too slow, too fast, too large). */
const closed = (why) => {
  setState('closed');
  setTransport(undefined, 'Disconnected');
  appendLog(why ? `Connection closed: ${why}.` : 'Connection closed.', 'notice');
};

/** Close codes with which the server refuses a client; their reason says why (protocol.md). */
const REFUSALS = new Set([1003, 1007, 1008, 1009]);

/** The transport in use: `{ canSend(), send(text) }`, or undefined before one is chosen. */
let transport;

/**
 * Opens `/ws` on the page's own host, over TLS when the page came over TLS. If it closes before
 * it ever opened, `fallBack` is called instead of reporting the connection closed.
 */
const connectWebSocket = (fallBack) => {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  let conn;
  try {
    conn = new WebSocket(`${scheme}//${location.host}/ws`, 'hubbub.v1');
  } catch {
    fallBack();
    return;
  }
  let opened = false;
  conn.addEventListener('open', () => {
    opened = true;
    setState('open');
    setTransport('websocket', 'Connected via WebSocket');
  });
  conn.addEventListener('message', (event) => {
    if (typeof event.data !== 'string') return;
    for (const item of JSON.parse(event.data)) {
      if (item.type === 'message') appendLog(item.text); // other item types are for later
    }
  });
  conn.addEventListener('close', (event) => {
    if (opened) closed(REFUSALS.has(event.code) ? event.reason : undefined);
    else fallBack();
  });
  transport = {
    canSend: () => conn.readyState === conn.OPEN,
    send: (text) => conn.send(JSON.stringify({ type: 'send', text })),
  };
};

/** What a refused `POST /send` means for the one who sent it. */
const SEND_REFUSED = {
  403: 'The server refuses messages from this page (origin not allowed); not sent.',
  413: 'Message too large; not sent.',
  429: 'Sending too fast; message not sent.',
  503: 'The server is shutting down; message not sent.',
};

/** Receives over `GET /events` and sends with `POST /send`, one post at a time to keep order. */
const connectEventSource = () => {
  const events = new EventSource('/events');
  let open = false;
  let ended = false;
  const end = (why) => {
    if (ended) return;
    ended = true;
    open = false;
    events.close();
    closed(why);
  };
  events.addEventListener('open', () => {
    open = true;
    setState('open');
    setTransport('sse', 'Connected via Server-Sent Events');
  });
  events.addEventListener('message', (event) => appendLog(event.data));
  events.addEventListener('bye', () => end()); // the server is shutting down
  events.addEventListener('error', (event) => {
    // An `event: error` from the server (evicted: too slow) carries data; the stream's own
    // errors do not. EventSource reconnects by itself unless the stream is gone for good.
    if (event.data !== undefined || events.readyState === EventSource.CLOSED) {
      end(event.data);
    } else if (!ended) {
      open = false;
      setState('connecting');
    }
  });
  let sending = Promise.resolve();
  const post = async (text) => {
    try {
      const answer = await fetch('/send', {
        method: 'POST',
        body: text,
        headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
      });
      if (!answer.ok) appendLog(SEND_REFUSED[answer.status] ?? 'Message not sent.', 'notice');
    } catch {
      appendLog('Message not sent.', 'notice');
    }
  };
  transport = {
    canSend: () => open,
    send: (text) => {
      sending = sending.then(() => post(text));
    },
  };
};

if (window.WebSocket) {
  connectWebSocket(() => {
    if (window.EventSource) connectEventSource();
    else closed();
  });
} else if (window.EventSource) {
  connectEventSource();
} else {
  setState('unsupported');
  setTransport(undefined, 'Not connected');
  appendLog('Your browser supports neither WebSockets nor Server-Sent Events.', 'notice');
}

form.addEventListener('submit', (event) => {
  event.preventDefault(); // never reload the page
  if (transport === undefined || !transport.canSend() || msg.value === '') return;
  transport.send(msg.value);
  msg.value = '';
  msg.focus();
});
