import type { ChatMessage } from '../client/index.ts';
import { element } from './dom.ts';

const clock = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const fullDate = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'medium' });

/** Consecutive messages of one sender closer than this share one header. */
const GROUP_MS = 5 * 60_000;

/** Where a message is in its room's numbering; unique across restarts (a new epoch). */
export const keyOf = (position: Readonly<{ epoch: string; seq: number }>): string =>
  `${position.epoch}:${position.seq}`;

const hueOf = (name: string): number => {
  let hue = 0;
  for (const char of name) hue = (hue * 31 + (char.codePointAt(0) ?? 0)) % 360;
  return hue;
};

/** A round badge with the name's first letter, in a colour of its own. */
export const avatarOf = (name: string): HTMLElement => {
  const avatar = element('span', 'avatar', [...name][0]?.toUpperCase() ?? '?');
  avatar.setAttribute('aria-hidden', 'true');
  avatar.style.setProperty('--hue', String(hueOf(name)));
  return avatar;
};

const timeOf = (at: number): HTMLTimeElement => {
  const time = element('time', '', clock.format(at));
  time.dateTime = new Date(at).toISOString();
  time.title = fullDate.format(at);
  return time;
};

/** A message as a list item: who, when and what (as text, never as HTML); `own` when it is ours. */
export const messageItem = (
  message: Pick<ChatMessage, 'from' | 'text' | 'at'>,
  own: boolean,
): HTMLLIElement => {
  const item = element('li', own ? 'message own' : 'message');
  item.dataset.from = message.from;
  item.dataset.at = String(message.at);
  const meta = element('p', 'meta');
  meta.append(element('span', 'from', message.from));
  if (own) meta.append(element('span', 'visually-hidden', ' (you)'));
  meta.append(' ', timeOf(message.at));
  const bubble = element('div', 'bubble');
  bubble.append(meta, element('p', 'text', message.text));
  item.append(avatarOf(message.from), bubble);
  return item;
};

/** Marks `item` as continuing `previous` (same sender, close in time), or not. */
export const groupWith = (item: Element, previous: Element | null): void => {
  const prior = previous instanceof HTMLElement ? previous.dataset : undefined;
  const current = (item as HTMLElement).dataset;
  const continues =
    prior !== undefined &&
    previous?.classList.contains('message') === true &&
    prior.from === current.from &&
    Math.abs(Number(current.at) - Number(prior.at)) < GROUP_MS;
  item.classList.toggle('continued', continues);
};
