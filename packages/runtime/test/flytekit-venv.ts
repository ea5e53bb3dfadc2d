/**
 * The flytekit virtualenv for the live tests: `$FLYTEKIT_TS_VENV`, the variable conformance/python's
 * install.sh and `findVenv` honour. Undefined when there is none (the live tests skip).
 */
export const flytekitVenv: string | undefined = process.env["FLYTEKIT_TS_VENV"] || undefined;
