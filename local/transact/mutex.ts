/** A FIFO async mutex: `run` waits for every earlier holder, then holds the lock until `task` settles. */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();

  /** Waits for the lock; the returned function releases it (idempotent). */
  async acquire(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = this.tail;
    this.tail = previous.then(() => held);
    await previous;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      release();
    };
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await task();
    } finally {
      release();
    }
  }
}
