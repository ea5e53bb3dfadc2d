import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LocalStorage, StorageError } from "../src/index.js";

describe("local storage keeps a copied directory's entries inside it", () => {
  const setup = () => {
    const root = mkdtempSync(join(tmpdir(), "flyte-ts-local-keys-"));
    const source = join(root, "source");
    mkdirSync(join(source, "sub"), { recursive: true });
    writeFileSync(join(source, "sub", "x.txt"), "X");
    writeFileSync(join(root, "secret.txt"), "outside");
    return { root, source };
  };

  it("refuses a directory with a link that resolves outside it, before copying anything", async () => {
    const { root, source } = setup();
    symlinkSync(join(root, "secret.txt"), join(source, "sub", "escape"));
    const target = join(root, "copy");
    const error = await new LocalStorage().download(source, target).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as Error).message).toMatch(/the link .*escape resolves to .*secret\.txt, outside the directory/);
    expect(existsSync(target)).toBe(false);
  });

  it("refuses a relative link climbing out with ..", async () => {
    const { root, source } = setup();
    symlinkSync("../../secret.txt", join(source, "sub", "up"));
    await expect(new LocalStorage().upload(source, join(root, "up-copy"))).rejects.toThrow(/outside the directory/);
  });

  it("copies a directory whose links stay inside it", async () => {
    const { root, source } = setup();
    symlinkSync("x.txt", join(source, "sub", "alias"));
    await new LocalStorage().download(source, join(root, "copy"));
    expect(readFileSync(join(root, "copy", "sub", "alias"), "utf8")).toBe("X");
  });
});
