import type { Member } from '../client/index.ts';
import { element } from './dom.ts';
import { avatarOf } from './message-view.ts';

/** Who is in the room, by name, with the count in the header and in the panel. */
export class MembersView {
  constructor(
    private readonly list: HTMLUListElement,
    private readonly counts: readonly HTMLElement[],
    private readonly toggle: HTMLButtonElement,
  ) {}

  show(members: readonly Member[], me: string): void {
    const items = members.map((member) => {
      const item = element('li', member.name === me ? 'member me' : 'member');
      item.append(avatarOf(member.name), element('span', 'member-name', member.name));
      if (member.name === me) item.append(element('span', 'tag', 'you'));
      if (member.connections > 1) {
        const tabs = element('span', 'connections', `×${member.connections}`);
        tabs.title = `${member.connections} connections`;
        item.append(tabs);
      }
      return item;
    });
    this.list.replaceChildren(...items);
    for (const count of this.counts) count.textContent = String(members.length);
    this.toggle.setAttribute(
      'aria-label',
      `${members.length} ${members.length === 1 ? 'member' : 'members'} online: show the list`,
    );
  }
}
