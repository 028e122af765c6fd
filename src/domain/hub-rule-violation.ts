/** A command that no correct caller sends: a gap in sequence numbers, an ack from the future. */
export class HubRuleViolation extends Error {
  override readonly name = 'HubRuleViolation';
}
