import { flyteidl } from "@flytekit-ts/idl";
import type { Accelerator } from "./accelerators.js";
import { checkKnownKeys, isPlainObject, show, type ProblemList } from "./problems.js";
import { isParsedQuantity, parseQuantity, quantityText, type Quantity } from "./quantity.js";

/**
 * `true` mounts an in-memory volume at /dev/shm sized by the platform (the pod's memory); a quantity
 * such as `"2Gi"` also caps its size.
 */
export type SharedMemory = true | Quantity;

/** The settings that become `ExtendedResources`. */
export interface ExtendedResourceSettings {
  /** The GPU/TPU device to schedule on; see `T4`, `A100.partition_2g_10gb`, `gpuAccelerator(...)`. */
  readonly accelerator?: Accelerator;
  /** Shared memory (/dev/shm) for the primary container, e.g. for PyTorch data loaders. */
  readonly sharedMemory?: SharedMemory;
}

// flytekit/core/constants.py: SHARED_MEMORY_MOUNT_NAME, SHARED_MEMORY_MOUNT_PATH.
/** The name of the volume `sharedMemory` adds to the pod (flytekit's, so pod templates can refer to it). */
export const SHARED_MEMORY_MOUNT_NAME = "flyte-shared-memory";
/** Where `sharedMemory` mounts its in-memory volume in the primary container. */
export const SHARED_MEMORY_MOUNT_PATH = "/dev/shm";

export function checkExtendedResources(problems: ProblemList, settings: ExtendedResourceSettings, prefix = ""): void {
  const at = (name: string) => (prefix ? `${prefix}.${name}` : name);
  const acc: unknown = settings.accelerator;
  if (acc !== undefined) {
    if (!isPlainObject(acc)) {
      problems.add(at("accelerator"), acc, `must be an accelerator such as T4 or A100.partition_2g_10gb, got ${show(acc)}`);
    } else {
      checkKnownKeys(problems, at("accelerator"), acc, ["device", "partition"], "accelerator field");
      if (typeof acc["device"] !== "string" || acc["device"].trim() === "") {
        problems.add(at("accelerator.device"), acc["device"], "must be a non-empty device name such as \"nvidia-tesla-t4\"");
      }
      const partition = acc["partition"];
      if (
        partition !== undefined &&
        partition !== "unpartitioned" &&
        !(isPlainObject(partition) && typeof partition["size"] === "string" && partition["size"].trim() !== "")
      ) {
        problems.add(
          at("accelerator.partition"),
          partition,
          `must be "unpartitioned" or { size: "<partition>" } with a non-empty size, got ${show(partition)}`,
        );
      }
    }
  }
  const shm: unknown = settings.sharedMemory;
  if (shm !== undefined && shm !== true) {
    if (shm === false) {
      problems.add(at("sharedMemory"), shm, "must be true or a size such as \"2Gi\"; leave it out for no shared memory");
    } else {
      const parsed = parseQuantity(shm);
      if (!isParsedQuantity(parsed)) problems.add(at("sharedMemory"), shm, `${show(shm)} ${parsed.error}`);
      else if (parsed.numerator <= 0n) problems.add(at("sharedMemory"), shm, `${show(shm)} must be a positive size`);
    }
  }
}

/** `GPUAccelerator` for an accelerator: the partition oneof is left unset unless one was chosen. */
export function gpuAcceleratorMessage(acc: Accelerator): flyteidl.core.GPUAccelerator {
  const { device, partition } = acc;
  if (partition === undefined) return flyteidl.core.GPUAccelerator.create({ device });
  if (partition === "unpartitioned") return flyteidl.core.GPUAccelerator.create({ device, unpartitioned: true });
  return flyteidl.core.GPUAccelerator.create({ device, partitionSize: partition.size });
}

/** `ExtendedResources`, or `undefined` when neither an accelerator nor shared memory is set (as flytekit). */
export function extendedResourcesMessage(settings: ExtendedResourceSettings): flyteidl.core.ExtendedResources | undefined {
  const { accelerator, sharedMemory } = settings;
  if (accelerator === undefined && sharedMemory === undefined) return undefined;
  return flyteidl.core.ExtendedResources.create({
    ...(accelerator !== undefined ? { gpuAccelerator: gpuAcceleratorMessage(accelerator) } : {}),
    ...(sharedMemory !== undefined
      ? {
          sharedMemory: flyteidl.core.SharedMemory.create({
            mountName: SHARED_MEMORY_MOUNT_NAME,
            mountPath: SHARED_MEMORY_MOUNT_PATH,
            ...(sharedMemory === true ? {} : { sizeLimit: quantityText(sharedMemory) }),
          }),
        }
      : {}),
  });
}
