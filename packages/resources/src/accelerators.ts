/**
 * GPU and TPU devices, as flytekit ships them in `flytekit.extras.accelerators`. On the wire an
 * accelerator is `GPUAccelerator{device, unpartitioned | partition_size}`; propeller turns it into node
 * affinity and tolerations — but only for pods with a GPU limit, so pair it with `limits: { gpu }`.
 */

/**
 * How a multi-instance device is split. Left unset, the platform decides; `"unpartitioned"` asks for a
 * whole device; `{ size }` for one partition (an A100 MIG profile such as `"2g.10gb"`, a TPU slice such
 * as `"2x4"`).
 */
export type AcceleratorPartition = "unpartitioned" | { readonly size: string };

/** An accelerator as task settings carry it: plain data, compared and serialized by value. */
export interface Accelerator<Device extends string = string> {
  readonly device: Device;
  readonly partition?: AcceleratorPartition;
}

/**
 * A device that can be partitioned: usable as is (no partition preference, like flytekit's bare
 * `A100`), or through `.unpartitioned` and one property per partition it offers.
 */
export type PartitionedAccelerator<Device extends string, Partitions extends string> = Accelerator<Device> & {
  readonly unpartitioned: Accelerator<Device>;
} & { readonly [P in Partitions]: Accelerator<Device> };

/**
 * An accelerator for a device string flytekit has no constant for (`"nvidia-b200"`, a cluster-specific
 * label value). The string is what propeller matches against the node label
 * `k8s.amazonaws.com/accelerator` (configurable on the cluster).
 */
export function gpuAccelerator<Device extends string>(device: Device, partition?: AcceleratorPartition): Accelerator<Device> {
  return Object.freeze(partition === undefined ? { device } : { device, partition });
}

function partitioned<Device extends string, const Table extends Readonly<Record<string, string>>>(
  device: Device,
  partitions: Table,
): PartitionedAccelerator<Device, Extract<keyof Table, string>> {
  const variants: Record<string, Accelerator<Device>> = { unpartitioned: gpuAccelerator(device, "unpartitioned") };
  for (const [name, size] of Object.entries(partitions)) variants[name] = gpuAccelerator(device, { size });
  // The variants are non-enumerable so that spreading or JSON-encoding the bare device gives {device}.
  const base = { device };
  for (const [name, value] of Object.entries(variants)) Object.defineProperty(base, name, { value, enumerable: false });
  return Object.freeze(base) as PartitionedAccelerator<Device, Extract<keyof Table, string>>;
}

// --- NVIDIA GPUs without partitions -------------------------------------------------------------
/** NVIDIA A10G (device `nvidia-a10g`). */
export const A10G = gpuAccelerator("nvidia-a10g");
/** NVIDIA L4 (device `nvidia-l4`). */
export const L4 = gpuAccelerator("nvidia-l4");
/** NVIDIA L4 with virtual workstation drivers (device `nvidia-l4-vws`). */
export const L4_VWS = gpuAccelerator("nvidia-l4-vws");
/** NVIDIA L40S (device `nvidia-l40s`). */
export const L40S = gpuAccelerator("nvidia-l40s");
/** NVIDIA Tesla K80 (device `nvidia-tesla-k80`). */
export const K80 = gpuAccelerator("nvidia-tesla-k80");
/** NVIDIA Tesla M60 (device `nvidia-tesla-m60`). */
export const M60 = gpuAccelerator("nvidia-tesla-m60");
/** NVIDIA Tesla P4 (device `nvidia-tesla-p4`). */
export const P4 = gpuAccelerator("nvidia-tesla-p4");
/** NVIDIA Tesla P100 (device `nvidia-tesla-p100`). */
export const P100 = gpuAccelerator("nvidia-tesla-p100");
/** NVIDIA Tesla T4 (device `nvidia-tesla-t4`). */
export const T4 = gpuAccelerator("nvidia-tesla-t4");
/** NVIDIA Tesla V100 (device `nvidia-tesla-v100`). */
export const V100 = gpuAccelerator("nvidia-tesla-v100");
/** NVIDIA H100 (device `nvidia-h100`). */
export const H100 = gpuAccelerator("nvidia-h100");
/** NVIDIA H200 (device `nvidia-h200`). */
export const H200 = gpuAccelerator("nvidia-h200");
/** NVIDIA RTX PRO 6000 (device `nvidia-rtx-pro-6000`). */
export const RTX_PRO_6000 = gpuAccelerator("nvidia-rtx-pro-6000");

// --- NVIDIA multi-instance GPUs (MIG profiles) ---------------------------------------------------
/**
 * NVIDIA Tesla A100 40 GB (device `nvidia-tesla-a100`): as is, `.unpartitioned`, or one MIG profile
 * such as `.partition_2g_10gb`.
 */
export const A100 = partitioned("nvidia-tesla-a100", {
  partition_1g_5gb: "1g.5gb",
  partition_2g_10gb: "2g.10gb",
  partition_3g_20gb: "3g.20gb",
  partition_4g_20gb: "4g.20gb",
  partition_7g_40gb: "7g.40gb",
});

/**
 * NVIDIA A100 80 GB (device `nvidia-a100-80gb`): as is, `.unpartitioned`, or one MIG profile such as
 * `.partition_3g_40gb`.
 */
export const A100_80GB = partitioned("nvidia-a100-80gb", {
  partition_1g_10gb: "1g.10gb",
  partition_2g_20gb: "2g.20gb",
  partition_3g_40gb: "3g.40gb",
  partition_4g_40gb: "4g.40gb",
  partition_7g_80gb: "7g.80gb",
});

// --- Google Cloud TPUs (partitions are slice topologies) -----------------------------------------
/** Google Cloud TPU v5e (device `tpu-v5-lite-podslice`): as is, or one slice topology such as `.slice_2x4`. */
export const V5E = partitioned("tpu-v5-lite-podslice", {
  slice_1x1: "1x1",
  slice_2x2: "2x2",
  slice_2x4: "2x4",
  slice_4x4: "4x4",
  slice_4x8: "4x8",
  slice_8x8: "8x8",
  slice_8x16: "8x16",
  slice_16x16: "16x16",
});

/** Google Cloud TPU v5p (device `tpu-v5p-slice`): as is, or one slice topology such as `.slice_2x2x2`. */
export const V5P = partitioned("tpu-v5p-slice", {
  slice_2x2x1: "2x2x1",
  slice_2x2x2: "2x2x2",
  slice_2x4x4: "2x4x4",
  slice_4x4x4: "4x4x4",
  slice_4x4x8: "4x4x8",
  slice_4x8x8: "4x8x8",
  slice_8x8x8: "8x8x8",
  slice_8x8x16: "8x8x16",
  slice_8x16x16: "8x16x16",
  slice_16x16x16: "16x16x16",
  slice_16x16x24: "16x16x24",
});

/** Google Cloud TPU v6e (device `tpu-v6e-slice`): as is, or one slice topology such as `.slice_2x4`. */
export const V6E = partitioned("tpu-v6e-slice", {
  slice_1x1: "1x1",
  slice_2x2: "2x2",
  slice_2x4: "2x4",
  slice_4x4: "4x4",
  slice_4x8: "4x8",
  slice_8x8: "8x8",
  slice_8x16: "8x16",
  slice_16x16: "16x16",
});
