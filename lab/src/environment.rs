//! What a transcript says about the machine that recorded it: the operating system, read
//! without any clock (transcripts are deterministic: no time of recording is kept).
//!
//! The parsers are pure functions of the text the system gives, so every platform's format is
//! tested on every platform: `/etc/os-release` and the kernel release on Linux, the output of
//! `cmd /c ver` on Windows.

/// The operating system of this machine in one line, e.g. `Debian GNU/Linux 13 (trixie);
/// Linux 6.12.48` or `Microsoft Windows [Version 10.0.22631.4317]`. Never fails: what cannot
/// be read is left out, down to the bare platform name.
pub fn current_os() -> String {
    #[cfg(windows)]
    {
        let ver = std::process::Command::new("cmd")
            .args(["/c", "ver"])
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned());
        windows_version(ver.as_deref())
    }
    #[cfg(not(windows))]
    {
        let release =
            std::fs::read_to_string("/etc/os-release").or_else(|_| std::fs::read_to_string("/usr/lib/os-release")).ok();
        let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").ok();
        unix_version(std::env::consts::OS, release.as_deref(), kernel.as_deref())
    }
}

/// The distribution from `os-release` text (`PRETTY_NAME`, else `NAME` and `VERSION`) and the
/// kernel release, joined by `; `; `os` (`linux`, `macos`, ...) stands in for what is missing.
pub fn unix_version(os: &str, os_release: Option<&str>, kernel: Option<&str>) -> String {
    let distro = os_release.and_then(|text| {
        let field = |key: &str| os_release_field(text, key).filter(|v| !v.is_empty());
        field("PRETTY_NAME").or_else(|| {
            let name = field("NAME")?;
            Some(match field("VERSION") {
                Some(v) => format!("{name} {v}"),
                None => name,
            })
        })
    });
    let kernel = kernel.map(str::trim).filter(|k| !k.is_empty()).map(|k| format!("{} {k}", kernel_name(os)));
    match (distro, kernel) {
        (Some(d), Some(k)) => format!("{d}; {k}"),
        (Some(d), None) => d,
        (None, Some(k)) => k,
        (None, None) => os.to_string(),
    }
}

fn kernel_name(os: &str) -> &str {
    match os {
        "linux" => "Linux",
        "macos" => "Darwin",
        "freebsd" => "FreeBSD",
        other => other,
    }
}

/// One `KEY=value` of os-release, with shell quoting (`"..."`, `'...'`, backslash escapes in
/// double quotes) removed.
pub fn os_release_field(text: &str, key: &str) -> Option<String> {
    let line = text.lines().map(str::trim).find(|l| l.strip_prefix(key).is_some_and(|r| r.starts_with('=')))?;
    let raw = line[key.len() + 1..].trim();
    let value = if let Some(inner) = raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        let mut out = String::with_capacity(inner.len());
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            } else {
                out.push(c);
            }
        }
        out
    } else if let Some(inner) = raw.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')) {
        inner.to_string()
    } else {
        raw.to_string()
    };
    Some(value)
}

/// The version line of `cmd /c ver` (`Microsoft Windows [Version 10.0.22631.4317]`), or
/// `windows` when there is none.
pub fn windows_version(ver_output: Option<&str>) -> String {
    ver_output
        .and_then(|t| t.lines().map(str::trim).find(|l| l.contains("Version") || l.contains("Windows")))
        .map(str::to_string)
        .unwrap_or_else(|| "windows".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEBIAN: &str = r#"PRETTY_NAME="Debian GNU/Linux 13 (trixie)"
NAME="Debian GNU/Linux"
VERSION_ID="13"
VERSION="13 (trixie)"
ID=debian
"#;

    #[test]
    fn pretty_name_and_kernel() {
        assert_eq!(
            unix_version("linux", Some(DEBIAN), Some("6.12.48+deb13-amd64\n")),
            "Debian GNU/Linux 13 (trixie); Linux 6.12.48+deb13-amd64"
        );
    }

    #[test]
    fn name_and_version_without_pretty_name() {
        let text = "NAME='Alpine Linux'\nVERSION=3.20\n";
        assert_eq!(unix_version("linux", Some(text), None), "Alpine Linux 3.20");
        assert_eq!(unix_version("linux", Some("NAME=Arch\n"), None), "Arch");
    }

    #[test]
    fn missing_parts_fall_back() {
        assert_eq!(unix_version("linux", None, Some("6.1.0")), "Linux 6.1.0");
        assert_eq!(unix_version("linux", Some("ID=x\n"), Some("  ")), "linux");
        assert_eq!(unix_version("macos", None, None), "macos");
    }

    #[test]
    fn quoting_is_removed() {
        assert_eq!(
            os_release_field(r#"PRETTY_NAME="A \"quoted\" name""#, "PRETTY_NAME").unwrap(),
            r#"A "quoted" name"#
        );
        assert_eq!(os_release_field("NAME_X=1\nNAME=y", "NAME").unwrap(), "y");
        assert_eq!(os_release_field("NAME=y", "VERSION"), None);
    }

    #[test]
    fn windows_ver_line() {
        let out = "\r\nMicrosoft Windows [Version 10.0.22631.4317]\r\n";
        assert_eq!(windows_version(Some(out)), "Microsoft Windows [Version 10.0.22631.4317]");
        assert_eq!(windows_version(Some("")), "windows");
        assert_eq!(windows_version(None), "windows");
    }

    #[test]
    fn this_machine_has_a_name() {
        assert!(!current_os().is_empty());
    }
}
