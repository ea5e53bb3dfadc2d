/** What happens to each node, for progress displays and logs. */
export interface NodeEvent {
  phase: "running" | "succeeded" | "failed" | "retrying" | "cached";
  /** Where the node is: `n1`, or `n1/dn3` inside a dynamic or sub-workflow. */
  path: string;
  entity: string;
  attempt: number;
  durationMs?: number;
  error?: string;
}
