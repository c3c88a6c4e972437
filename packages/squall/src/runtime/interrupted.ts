/**
 * Thrown into VU code that keeps running after its iteration was abandoned at the end of a
 * graceful stop, so an orphaned iteration ends at its next API call instead of running on.
 */
export class IterationInterrupted extends Error {
  constructor() {
    super('iteration interrupted: the scenario ended and its graceful stop expired');
    this.name = 'IterationInterrupted';
  }
}

/** Thrown by `exec.test.abort()`; the engine turns it into a test abort (exit 108). */
export class TestAbort extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TestAbort';
  }
}
