/**
 * Flood control for one agent connection: frames beyond `allowed` in a one-second window are
 * dropped; a connection that sends `closeAt` in one window is closed. A healthy agent sends one
 * metrics frame a second plus the odd job result.
 */
export type FrameVerdict = 'ok' | 'drop' | 'close';

export class FrameRate {
  private windowStart = 0;
  private count = 0;

  constructor(private readonly allowed = 10, private readonly closeAt = 100) {}

  hit(now = Date.now()): FrameVerdict {
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.count = 0;
    }
    this.count++;
    if (this.count >= this.closeAt) return 'close';
    return this.count > this.allowed ? 'drop' : 'ok';
  }
}
