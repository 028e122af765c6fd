/** The ports a worker listens on: every worker shares them, through the primary. */
export type ListeningPorts = Readonly<{ port: number; tcpPort?: number }>;

/**
 * What a worker tells the primary over the cluster's IPC channel: that it listens, or the line
 * that says why it could not start (the primary prints one such line, not one per worker).
 */
export type WorkerReport =
  | Readonly<{ hubbub: 'listening'; ports: ListeningPorts }>
  | Readonly<{ hubbub: 'failed'; line: string }>;

export const isWorkerReport = (message: unknown): message is WorkerReport => {
  if (typeof message !== 'object' || message === null) return false;
  const kind = (message as { hubbub?: unknown }).hubbub;
  return kind === 'listening' || kind === 'failed';
};

/** Sends `report` to the primary; resolves once it is handed to the channel. */
export const reportToPrimary = (report: WorkerReport): Promise<void> =>
  new Promise((resolve) => {
    const send = process.send?.bind(process);
    if (send === undefined || !process.connected) return resolve();
    send(report, undefined, {}, () => resolve());
  });
