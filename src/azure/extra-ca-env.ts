/**
 * A PEM file of CA certificates to trust besides the system's, for this process only: a connection
 * profile's CA (the sandbox), or a TLS-inspecting corporate proxy's (`--ca-certs FILE` / this variable).
 * Unlike NODE_EXTRA_CA_CERTS, which node reads only when it starts, it is read when the first session's
 * transport is made (http-client.ts), so a profile applies in-process — no re-executed child that could
 * outlive its parent (issue 8, src/cli/README.md "One process"). Its own module: profile.ts names it
 * before any @azure/* module is loaded.
 */
export const EXTRA_CA_ENV = "AHDS_MIGRATE_CA_CERTS";
