// The Hubbub chat page, on hubbub/client: the room from the URL's hash, a remembered name, the
// last messages and older ones on scrolling up, members, pending sends, a byte counter and a
// truthful connection status; over WebSocket, or Server-Sent Events where WebSocket is blocked.
import { Composer } from './composer.ts';
import { connect } from './connect.ts';
import { byId } from './dom.ts';
import { MembersView } from './members-view.ts';
import { MessageLog } from './message-log.ts';
import { askName } from './name-dialog.ts';
import { rememberedName, roomFromHash } from './names.ts';
import { OlderMessages } from './older-messages.ts';
import { watchPanel } from './panel.ts';
import { PendingSends } from './pending-sends.ts';
import { RoomSession, type RoomViews } from './room-session.ts';
import { StatusView } from './status-view.ts';

const scroller = byId('log');
const log = new MessageLog(scroller, byId<HTMLOListElement>('messages'));
const views: RoomViews = {
  log,
  pending: new PendingSends(byId<HTMLOListElement>('pending')),
  members: new MembersView(
    byId<HTMLUListElement>('members'),
    [byId('member-count'), byId('members-count')],
    byId<HTMLButtonElement>('members-toggle'),
  ),
  older: new OlderMessages(scroller, byId<HTMLButtonElement>('older'), byId('history-note'), log),
};
const status = new StatusView(byId('status'));
let session: RoomSession | undefined;
const composer = new Composer(
  byId<HTMLFormElement>('composer'),
  byId<HTMLTextAreaElement>('msg'),
  byId('bytes'),
  byId<HTMLButtonElement>('send'),
  (text) => session?.send(text),
);
watchPanel();

const start = async (): Promise<void> => {
  if (typeof WebSocket === 'undefined' && typeof EventSource === 'undefined') {
    status.unsupported();
    log.notice('Your browser supports neither WebSockets nor Server-Sent Events.');
    return;
  }
  const name = rememberedName() ?? (await askName());
  byId('my-name').textContent = name;
  const { client, transport } = await connect(name, (first) =>
    status.watch(first.client, first.transport),
  );
  status.watch(client, transport);
  client.on('welcome', (welcome) => {
    byId('my-name').textContent = welcome.name;
    composer.setLimit(welcome.maxMessageBytes);
  });
  if (client.limits !== undefined) composer.setLimit(client.limits.maxMessageBytes);
  const enter = (): void => {
    const { room, invalid } = roomFromHash(location.hash);
    if (session?.room === room && invalid === undefined) return;
    session?.close();
    byId('room-name').textContent = room;
    document.title = `#${room} · Hubbub`;
    composer.setRoom(room);
    session = new RoomSession(client, room, views);
    if (invalid !== undefined) log.notice(`“${invalid}” is not a room name: you are in #${room}.`);
  };
  window.addEventListener('hashchange', enter);
  enter();
};

void start();
