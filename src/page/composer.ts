import { utf8Bytes } from '../client/index.ts';

/** The count turns to a warning this close to the limit. */
const NEAR = 0.8;

/**
 * The message box: Enter sends, Shift+Enter starts a new line. It counts the text's UTF-8
 * bytes against the server's limit and refuses to send over it, keeping every character typed.
 */
export class Composer {
  private limit: number | undefined;

  constructor(
    private readonly form: HTMLFormElement,
    private readonly input: HTMLTextAreaElement,
    private readonly counter: HTMLElement,
    private readonly sendButton: HTMLButtonElement,
    send: (text: string) => void,
  ) {
    input.addEventListener('input', () => this.update());
    input.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
      event.preventDefault();
      form.requestSubmit();
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault(); // never reload the page
      const text = input.value;
      if (text.trim() === '' || this.isOver()) return;
      send(text);
      input.value = '';
      this.update();
      input.focus();
    });
    this.update();
  }

  /** The server's `--max-message-bytes`, from its welcome. */
  setLimit(maxMessageBytes: number): void {
    this.limit = maxMessageBytes;
    this.update();
  }

  setRoom(room: string): void {
    this.input.placeholder = `Message #${room}`;
  }

  private isOver(): boolean {
    return this.limit !== undefined && utf8Bytes(this.input.value) > this.limit;
  }

  private update(): void {
    const bytes = utf8Bytes(this.input.value);
    const over = this.isOver();
    const { limit } = this;
    if (limit === undefined || bytes === 0) this.counter.textContent = '';
    else if (over) this.counter.textContent = `${bytes} / ${limit} bytes: too long to send`;
    else this.counter.textContent = `${bytes} / ${limit}`;
    this.counter.dataset.level = over
      ? 'over'
      : limit !== undefined && bytes >= limit * NEAR
        ? 'near'
        : 'ok';
    this.counter.dataset.bytes = String(bytes);
    this.form.dataset.over = String(over);
    this.input.setAttribute('aria-invalid', String(over));
    this.sendButton.disabled = over || this.input.value.trim() === '';
  }
}
