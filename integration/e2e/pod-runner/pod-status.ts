/**
 * The pod statuses the runner reports in the kubelet's place, through the pod's status subresource:
 * Running once the process started, then Succeeded or Failed with the exit code, as a kubelet reports
 * a pod with restartPolicy Never. Pure: it builds the objects, runner.ts writes them.
 */
import type { V1ContainerStatus, V1PodStatus } from "@kubernetes/client-node";

export interface Started {
  container: string;
  image: string;
  startedAt: Date;
}

export interface Finished extends Started {
  finishedAt: Date;
  /** The exit code; a process killed by a signal gets 128 + the signal's number, as in a container. */
  exitCode: number;
  /** The last lines the process wrote to stderr, or why it could not start. */
  message: string;
}

const baseContainerStatus = (s: Started): V1ContainerStatus => ({ name: s.container, image: s.image, imageID: "", restartCount: 0, ready: false });

export function runningStatus(s: Started): V1PodStatus {
  return {
    phase: "Running",
    hostIP: "127.0.0.1",
    podIP: "127.0.0.1",
    startTime: s.startedAt,
    conditions: [{ type: "Ready", status: "True", lastTransitionTime: s.startedAt }],
    containerStatuses: [{ ...baseContainerStatus(s), ready: true, started: true, state: { running: { startedAt: s.startedAt } } }],
  };
}

export function finishedStatus(f: Finished): V1PodStatus {
  const succeeded = f.exitCode === 0;
  return {
    phase: succeeded ? "Succeeded" : "Failed",
    hostIP: "127.0.0.1",
    podIP: "127.0.0.1",
    startTime: f.startedAt,
    ...(succeeded ? {} : { message: f.message, reason: "Error" }),
    conditions: [{ type: "Ready", status: "False", reason: "PodCompleted", lastTransitionTime: f.finishedAt }],
    containerStatuses: [
      {
        ...baseContainerStatus(f),
        started: false,
        state: {
          terminated: {
            exitCode: f.exitCode,
            reason: succeeded ? "Completed" : "Error",
            startedAt: f.startedAt,
            finishedAt: f.finishedAt,
            ...(f.message ? { message: f.message } : {}),
          },
        },
      },
    ],
  };
}
