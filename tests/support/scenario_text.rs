//! Scenario text the suites share.

/// The steps that name the client and prepare the disc: `put_ClientName` with `client_name`,
/// then `PrepareMedia` expecting `expect` (a TOML value: `"\"S_OK\""`, a list, ...).
pub fn name_and_prepare(client_name: &str, expect: &str) -> String {
    format!("[[step]]\ncall = \"put_ClientName\"\nargs = [\"{client_name}\"]\n[[step]]\ncall = \"PrepareMedia\"\nexpect = {expect}\n")
}
