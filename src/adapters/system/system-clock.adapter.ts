import { injectable } from 'inversify';
import type { Clock } from '../../app/ports/clock.port.ts';

@injectable()
export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }
}
