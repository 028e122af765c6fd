/**
 * How long one rendering of the exposition is served again once it is done, in milliseconds.
 * Rendering reads every metric (Node's own too: heap, handles, descriptors) and holds the event
 * loop for a few milliseconds; Prometheus scrapes every 15 s or so, so a second of staleness is
 * nothing to it, and any number of scrapers now cost at most one rendering a second.
 */
export const RENDER_CACHE_MS = 1_000;

type Rendering<T> = {
  readonly result: Promise<T>;
  /** When it was done (the clock's time); `undefined` while it is under way. */
  doneAt: number | undefined;
};

/**
 * Renders at most once per `maxAgeMs`: every caller while a rendering is under way, and for
 * `maxAgeMs` after it is done, shares its one promise. A rendering that fails is forgotten, so
 * the next caller tries again; a clock that goes backwards expires the one kept.
 */
export class RenderCache<T> {
  #latest: Rendering<T> | undefined;

  constructor(
    private readonly render: () => Promise<T>,
    private readonly now: () => number,
    private readonly maxAgeMs = RENDER_CACHE_MS,
  ) {}

  get(): Promise<T> {
    const latest = this.#latest;
    if (latest !== undefined && this.#isFresh(latest)) return latest.result;
    // A render that throws at once rejects like one that fails later.
    const rendering: Rendering<T> = {
      result: new Promise<T>((resolve) => resolve(this.render())),
      doneAt: undefined,
    };
    this.#latest = rendering;
    rendering.result.then(
      () => {
        rendering.doneAt = this.now();
      },
      () => {
        if (this.#latest === rendering) this.#latest = undefined;
      },
    );
    return rendering.result;
  }

  #isFresh(rendering: Rendering<T>): boolean {
    if (rendering.doneAt === undefined) return true;
    const age = this.now() - rendering.doneAt;
    return age >= 0 && age < this.maxAgeMs;
  }
}
