import { isRoomName } from '../client/index.ts';
import { byId } from './dom.ts';
import { askName } from './name-dialog.ts';

/**
 * The members panel: a side column on wide screens, a sheet opened from the header on narrow
 * ones; its room form goes to another room (the hash), its link changes the name (a reload).
 */
export const watchPanel = (): void => {
  const app = byId('app');
  const toggle = byId<HTMLButtonElement>('members-toggle');
  const setOpen = (open: boolean): void => {
    app.dataset.panel = open ? 'open' : 'closed';
    toggle.setAttribute('aria-expanded', String(open));
  };
  toggle.addEventListener('click', () => setOpen(app.dataset.panel !== 'open'));
  byId('panel-close').addEventListener('click', () => {
    setOpen(false);
    toggle.focus();
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && app.dataset.panel === 'open') {
      setOpen(false);
      toggle.focus();
    }
  });
  const roomForm = byId<HTMLFormElement>('room-form');
  const roomInput = byId<HTMLInputElement>('room-input');
  roomInput.addEventListener('input', () =>
    roomInput.setCustomValidity(
      isRoomName(roomInput.value.trim()) ? '' : 'Letters, digits and . _ : - (64 at most)',
    ),
  );
  roomForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const room = roomInput.value.trim();
    if (!isRoomName(room)) return;
    location.hash = room;
    roomInput.value = '';
    setOpen(false);
    byId('msg').focus();
  });
  byId('rename').addEventListener('click', () => {
    void askName(byId('my-name').textContent ?? '').then(() => location.reload());
  });
};
