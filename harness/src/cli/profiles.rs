//! `cdr-harness profiles`: the built-in drives and media with their key figures.

use anyhow::bail;
use cdr_sim::profile::{builtin_drives, builtin_media, drive_by_name, media_by_name, EMPTY_TRAY};
use cdr_sim::PhysicalMediaType;

use super::Status;

/// Arguments of `profiles`.
#[derive(clap::Args, Debug)]
pub struct ProfilesArgs {
    /// Print one profile (drive or media) in full as TOML, to start a profile file from it.
    #[arg(long, value_name = "NAME")]
    show: Option<String>,
}

pub fn profiles(args: ProfilesArgs) -> anyhow::Result<Status> {
    if let Some(name) = args.show {
        let text = match (drive_by_name(&name), media_by_name(&name)) {
            (Some(d), _) => format!("# drive profile `{name}`\n{}", toml::to_string(&d)?),
            (None, Some(m)) => format!("# media profile `{name}`\n{}", toml::to_string(&m)?),
            (None, None) => bail!("no built-in profile named `{name}` (see `cdr-harness profiles`)"),
        };
        print!("{text}");
        return Ok(Status::Passed);
    }
    print!("{}", table());
    Ok(Status::Passed)
}

fn speeds(v: Vec<u32>) -> String {
    match (v.first(), v.last()) {
        (Some(a), Some(b)) if a == b => format!("{a}x"),
        (Some(a), Some(b)) => format!("{a}x..{b}x"),
        _ => "-".into(),
    }
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

fn table() -> String {
    let mut out = String::from("Drives\n");
    out += &format!(
        "  {:<18} {:<34} {:<11} {:<11} {:<4} {:<10}\n",
        "name", "vendor / product / revision", "CD-R", "CD-RW", "TAO", "underrun-free"
    );
    for d in builtin_drives() {
        out += &format!(
            "  {:<18} {:<34} {:<11} {:<11} {:<4} {:<10}\n",
            d.name,
            format!("{} / {} / {}", d.vendor, d.product, d.revision),
            speeds(d.write_speeds.for_media(PhysicalMediaType::CdR)),
            speeds(d.write_speeds.for_media(PhysicalMediaType::CdRw)),
            yes_no(d.track_at_once),
            yes_no(d.buffer_underrun_free),
        );
    }
    out += "\nMedia\n";
    out += &format!(
        "  {:<22} {:<7} {:<20} {:<9} {:<9} {:>9} {:<11} {}\n",
        "name", "type", "manufacturer", "lead-in", "lead-out", "LPL", "state", "tracks"
    );
    for m in builtin_media() {
        let msf = |v: Option<cdr_sim::Msf>| v.map_or_else(|| "-".to_string(), |x| x.to_string());
        let mut notes = Vec::new();
        if m.upside_down {
            notes.push("upside down");
        }
        if m.write_protected {
            notes.push("write-protected");
        }
        out += &format!(
            "  {:<22} {:<7} {:<20} {:<9} {:<9} {:>9} {:<11} {}{}\n",
            m.name,
            m.media_type.name(),
            if m.manufacturer.is_empty() { "-" } else { &m.manufacturer },
            msf(m.lead_in),
            msf(m.lead_out),
            m.last_possible_lead_out(),
            format!("{:?}", m.state).to_lowercase(),
            if m.tracks.is_empty() { "-".to_string() } else { format!("{:?}", m.tracks) },
            if notes.is_empty() { String::new() } else { format!("  ({})", notes.join(", ")) },
        );
    }
    out += &format!("  {EMPTY_TRAY:<22} the empty tray\n");
    out
}
