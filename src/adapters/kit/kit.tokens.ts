/** Identifiers of what the transport kit shares between transports. */
export const KIT_TOKENS = {
  /** Turns clients away past the connection limits (total and per address). */
  Admission: Symbol.for('hubbub.kit.Admission'),
} as const;
