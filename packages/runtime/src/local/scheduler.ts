import { FlytekitError } from "@flytekit-ts/idl";

/** A node as the scheduler sees it: its id and the ids it waits for ("" — the graph's inputs — is always ready). */
export interface DagNode {
  readonly id: string;
  readonly upstream: Iterable<string>;
}

/**
 * Runs a graph's nodes as soon as what they wait for has finished, in time linear in nodes and edges:
 * each node keeps a count of unfinished upstream nodes, a node whose count reaches zero joins the ready
 * queue, and each started node has exactly one completion path (no race over everything running).
 *
 * After the first failure, or once `stopped()` says the run is stopping, no node is started; the nodes
 * already running finish, then the returned promise rejects with the first failure. Nodes that wait
 * for ids no node has, or for each other, are reported once nothing else can run.
 */
export function runDag(nodes: readonly DagNode[], start: (index: number) => Promise<void>, stopped: () => boolean = () => false): Promise<void> {
  const indexOf = new Map<string, number>();
  nodes.forEach((node, index) => indexOf.set(node.id, index));
  const waitingFor = new Int32Array(nodes.length);
  const downstream: number[][] = Array.from({ length: nodes.length }, () => []);
  const ready: number[] = [];
  nodes.forEach((node, index) => {
    for (const id of new Set(node.upstream)) {
      if (id === "") continue;
      waitingFor[index] = (waitingFor[index] ?? 0) + 1;
      // An id no node has keeps its count above zero for good: reported as stuck below.
      const upstream = indexOf.get(id);
      if (upstream !== undefined) downstream[upstream]?.push(index);
    }
    if (waitingFor[index] === 0) ready.push(index);
  });

  return new Promise<void>((resolve, reject) => {
    let head = 0;
    let running = 0;
    let finished = 0;
    let failure: { error: unknown } | undefined;

    const settleIfIdle = (): void => {
      if (running > 0) return;
      if (failure) reject(failure.error);
      else if (finished === nodes.length) resolve();
      else if (head === ready.length) reject(stuck(nodes, waitingFor));
    };
    const pump = (): void => {
      while (!failure && head < ready.length && !stopped()) {
        const index = ready[head++] as number;
        running++;
        start(index).then(
          () => {
            running--;
            finished++;
            for (const next of downstream[index] ?? []) {
              const left = (waitingFor[next] ?? 0) - 1;
              waitingFor[next] = left;
              if (left === 0) ready.push(next);
            }
            pump();
          },
          (error: unknown) => {
            running--;
            failure ??= { error };
            pump();
          },
        );
      }
      if (stopped() && !failure && running === 0 && finished < nodes.length) failure = { error: new FlytekitError("STOPPED", "the run stopped before this graph finished") };
      settleIfIdle();
    };
    pump();
  });
}

function stuck(nodes: readonly DagNode[], waitingFor: Int32Array): FlytekitError {
  const ids = nodes.filter((_, index) => (waitingFor[index] ?? 0) > 0).map((node) => node.id);
  return new FlytekitError("GRAPH_STUCK", `nodes ${ids.join(", ")} wait for nodes that never run`);
}
