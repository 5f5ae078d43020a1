// One listener on a shared abort signal for any number of requests. discover() passes one signal to every
// SDK call; each queued request used to hang its own listeners on it (p-queue's queued-state handler, the
// token-bucket race, AbortSignal.any for the attempt timeout), and an EventTarget adds and removes
// listeners by walking its list — with a thousand requests queued that was quadratic, a tenth of the
// inventory's CPU (issue 9 §6). Each request now gets a child signal of its own, aborted with the same
// reason when the shared one is; the shared signal holds one listener however many requests wait.
const children = new WeakMap<AbortSignal, Set<AbortController>>();

export interface ChildSignal {
  signal: AbortSignal;
  /** Forget the child (the request ended); the shared signal's listener stays for the next one. */
  release(): void;
}

export function childSignal(parent: AbortSignal): ChildSignal {
  const controller = new AbortController();
  if (parent.aborted) {
    controller.abort(parent.reason);
    return { signal: controller.signal, release: () => undefined };
  }
  let set = children.get(parent);
  if (!set) {
    const created = new Set<AbortController>();
    set = created;
    children.set(parent, created);
    parent.addEventListener("abort", () => {
      for (const c of created) c.abort(parent.reason);
      created.clear();
    }, { once: true });
  }
  set.add(controller);
  const owner = set;
  return { signal: controller.signal, release: () => { owner.delete(controller); } };
}
