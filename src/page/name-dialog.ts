import { isUserName } from '../client/index.ts';
import { byId } from './dom.ts';
import { rememberName } from './names.ts';

/** Asks for the user's name in a modal dialog until a valid one is given, and remembers it. */
export const askName = (current = ''): Promise<string> => {
  const dialog = byId<HTMLDialogElement>('name-dialog');
  const form = byId<HTMLFormElement>('name-form');
  const input = byId<HTMLInputElement>('name-input');
  input.value = current;
  return new Promise((resolve) => {
    const valid = (): boolean => {
      const ok = isUserName(input.value.trim());
      input.setCustomValidity(ok ? '' : 'A name is 1 to 32 characters.');
      return ok;
    };
    input.oninput = valid;
    // Escape would close the dialog with no name: the page needs one.
    dialog.oncancel = (event) => event.preventDefault();
    form.onsubmit = (event) => {
      if (!valid()) {
        event.preventDefault();
        input.reportValidity();
        return;
      }
      const name = input.value.trim();
      rememberName(name);
      resolve(name);
    };
    dialog.showModal();
    input.focus();
  });
};
