/** Identifiers of what the transport kit shares between transports. */
export const KIT_TOKENS = {
  /** Turns clients away past the connection limits (total and per address). */
  Admission: Symbol.for('hubbub.kit.Admission'),
  /** The hub, logger, metrics and admission, as every transport takes them. */
  TransportKit: Symbol.for('hubbub.kit.TransportKit'),
  /** Plain HTTP endpoints offered by adapters (`HttpRoute`); bound once per route. */
  HttpRoute: Symbol.for('hubbub.kit.HttpRoute'),
  /** Upgrade endpoints of transports (WebSocket's /ws), dispatched by path by the web server. */
  UpgradeRoute: Symbol.for('hubbub.kit.UpgradeRoute'),
} as const;
