// At most `limit` of a kind of read started at once; the rest wait here as plain closures. The limiter
// queues requests, not the work before them: a thousand role-assignment listings started at once built a
// thousand SDK requests and pagers in the first few hundred milliseconds — CPU and garbage taken from the
// critical reads (services, keys) that run then — only to wait at the back of the queue (issue 9 §6).
// Gated, each is built when one of its kind finishes. Order is kept (first come, first started).
export type StartGate = <T>(start: () => Promise<T>) => Promise<T>;

export function startGate(limit: number): StartGate {
  let running = 0;
  const waiting: (() => void)[] = [];
  const done = () => {
    running--;
    waiting.shift()?.();
  };
  return <T>(start: () => Promise<T>): Promise<T> => new Promise<T>((resolve, reject) => {
    const go = () => {
      running++;
      let p: Promise<T>;
      try {
        p = start();
      } catch (e) {
        p = Promise.reject(e);
      }
      p.then((v) => { done(); resolve(v); }, (e: unknown) => { done(); reject(e); });
    };
    if (running < limit) go();
    else waiting.push(go);
  });
}
