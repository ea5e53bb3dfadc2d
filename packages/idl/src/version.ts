/** The @flyteorg/flyteidl release whose protos this package was generated from (pinned exactly). */
export const FLYTEIDL_VERSION = "1.16.5";
