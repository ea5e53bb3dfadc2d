import { flyteidl } from "@flytekit-ts/idl";

type Identifier = flyteidl.core.Identifier.$Properties;

/**
 * A map key for an identifier. Propeller keys its task, workflow and launch plan indexes by the
 * identifier's text rendering, so two ids match exactly when all of their fields (resource type,
 * project, domain, name, version, org) are equal.
 */
export function idKey(id: Identifier | null | undefined): string {
  if (!id) return "<nil>";
  return JSON.stringify([id.resourceType ?? 0, id.project ?? "", id.domain ?? "", id.name ?? "", id.version ?? "", id.org ?? ""]);
}

/**
 * An identifier rendered like Go's protobuf text format (`resource_type:TASK project:"p" name:"n"`),
 * which is how propeller names entities in its error messages. Empty fields are left out.
 */
export function formatId(id: Identifier | null | undefined): string {
  if (!id) return "<nil>";
  const parts: string[] = [];
  const type = id.resourceType ?? 0;
  if (type !== 0) parts.push(`resource_type:${flyteidl.core.ResourceType[type] ?? type}`);
  for (const [field, value] of [
    ["project", id.project],
    ["domain", id.domain],
    ["name", id.name],
    ["version", id.version],
    ["org", id.org],
  ] as const) {
    if (value) parts.push(`${field}:${JSON.stringify(value)}`);
  }
  return parts.join(" ");
}

/** Orders identifiers the way propeller's IdentifierSet.List() does: by type, project, domain, name, version. */
export function compareIds(a: Identifier, b: Identifier): number {
  const ta = a.resourceType ?? 0;
  const tb = b.resourceType ?? 0;
  if (ta !== tb) return ta - tb;
  for (const field of ["project", "domain", "name", "version"] as const) {
    const x = a[field] ?? "";
    const y = b[field] ?? "";
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
