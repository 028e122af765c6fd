/** The HTTP front door: serves the page and hands upgrade requests to transports. */
export interface WebServer {
  /** Starts listening on the configured host and port; resolves with the bound address. */
  listen(): Promise<Readonly<{ host: string; port: number }>>;
  /** Stops accepting connections and resolves once the listener is closed. */
  close(): Promise<void>;
}
