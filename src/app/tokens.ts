/**
 * Inversify identifiers of the ports and use cases. Every constructor parameter names one with
 * an explicit `@inject`. Adapters keep the tokens of their own parts in their own folders.
 */
export const TOKENS = {
  /** The core's settings (`Config`). */
  Config: Symbol.for('hubbub.Config'),
  Clock: Symbol.for('hubbub.Clock'),
  Logger: Symbol.for('hubbub.Logger'),
  /** Counters and histograms (the `Metrics` port). */
  Metrics: Symbol.for('hubbub.Metrics'),
  /** Where rooms live: numbering, history, dedupe, live delivery (the `Engine` port). */
  Engine: Symbol.for('hubbub.Engine'),
  /** Rooms, joins, presence: the hub every transport's connections are in (`RoomsHub`). */
  RoomsHub: Symbol.for('hubbub.RoomsHub'),
  /** The rooms hub as one-room transports see it (the `Hub` port). */
  Hub: Symbol.for('hubbub.Hub'),
  HubbubServer: Symbol.for('hubbub.HubbubServer'),
  /** Every transport adapter; the server starts and stops each of them. */
  Transport: Symbol.for('hubbub.Transport'),
  /** The HTTP front door: serves the page and accepts upgrades. */
  WebServer: Symbol.for('hubbub.WebServer'),
} as const;
