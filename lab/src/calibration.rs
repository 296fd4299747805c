//! Calibration hints: where a difference falls on a calibration point of the spec (a
//! **\[choice\]** of `docs/reference/behaviour.md`, a field of [`Calibration`]), which setting
//! would reconcile it.
//!
//! A table maps each call (and the read-back) to the calibration points that can change its
//! answer; [`candidates`] turns the differences of one transcript into settings to try (the
//! other value of a flag, every other variant of a choice, the recorded HRESULT for a
//! configurable error, the sector counts the differences suggest). `compare` then replays the
//! scenario with each one, and names only the settings that make differences disappear.

use std::fmt;

use cdr_sim::{Calibration, Hresult};

use super::diff::{Aspect, Difference};
use cdr_scenario::transcript::Transcript;

/// One calibration setting: `calibration.<field> = <value>`.
#[derive(Clone, Debug, PartialEq)]
pub struct Setting {
    /// The field of [`Calibration`].
    pub field: &'static str,
    /// Its value, as written in a drive profile.
    pub value: toml::Value,
}

impl fmt::Display for Setting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "calibration.{} = {}", self.field, self.value)
    }
}

impl Setting {
    /// `base` with this setting, or `None` when the value does not fit the field.
    pub fn apply(&self, base: &Calibration) -> Option<Calibration> {
        let mut table = toml::Table::try_from(base).ok()?;
        table.insert(self.field.to_string(), self.value.clone());
        toml::Value::Table(table).try_into().ok()
    }

    /// Where the spec makes this a choice.
    pub fn spec(&self) -> &'static str {
        spec_point(self.field)
    }
}

/// The spec's place for each calibration point.
pub fn spec_point(field: &str) -> &'static str {
    match field {
        "prepare_no_media" => "spec 2, PrepareMedia: no media [choice]",
        "short_track" | "min_track_sectors" => "spec 2, AddAudioTrack: what a drive records for a short track [choice]",
        "rejected_nested_add_clears_writing" => {
            "spec 2, AddAudioTrack: a rejected nested AddAudioTrack clears the writing flag [choice]"
        }
        "requested_speed_after_prepare" => "spec 2, get_RequestedWriteSpeed after PrepareMedia [choice]",
        "cancelled_track_kept" | "cancel_result" => "spec 2, CancelAddTrack [doc + choice]",
        "hundredth_track_result" => {
            "spec 2, AddAudioTrack: a 100th track after the PREPARING handler wrote the 99th [choice]"
        }
        "release_not_prepared" => "spec 2, ReleaseMedia when not prepared [choice]",
        "release_without_tracks_keeps_blank" => "spec 2, ReleaseMedia with no track written [choice]",
        "unset_client_name_is_invalid" => "spec 2, put_ClientName: a name never set [choice]",
        "used_sectors" => "spec 2, get_UsedSectorsOnMedia: Used = Total - Free [choice]",
        "toc_length_field" => "spec 2, get_ExpectedTableOfContents: header length field [choice]",
        "is_current_media_supported_no_media" => "spec 2, IsCurrentMediaSupported with no media [choice]",
        "blank_queries_need_recorder" => "spec 2, get_MediaPhysicallyBlank / HeuristicallyBlank [choice]",
        "default_verification_level" => "spec 2, IBurnVerification default level [choice]",
        "drop_while_prepared" => "spec 2, object states: a format object dropped while prepared [choice]",
        "eject_while_locked" => "spec 8, EjectMedia while the tray is locked [choice]",
        "free_after_track" => "spec 4, Free after a track: layout or the DLL's NWA formula [choice]",
        "pause_sectors" | "run_out_sectors" => "spec 4, disc layout: pause and run-out [choice]",
        _ => "spec (calibration point)",
    }
}

const LAYOUT: &[&str] = &["short_track", "min_track_sectors", "pause_sectors", "run_out_sectors"];

/// The calibration points that can change the answer a difference is about.
pub fn points(d: &Difference) -> Vec<&'static str> {
    let mut v: Vec<&'static str> = Vec::new();
    let call = d.call.as_str();
    match (call, d.aspect) {
        (_, Aspect::Structure | Aspect::Environment) => {}
        ("PrepareMedia", _) => v.extend(["prepare_no_media", "unset_client_name_is_invalid"]),
        ("ReleaseMedia", _) => v.extend(["release_not_prepared"]),
        ("IDiscRecorder2::EjectMedia", _) => v.push("eject_while_locked"),
        ("IsCurrentMediaSupported", _) => v.push("is_current_media_supported_no_media"),
        ("get_MediaPhysicallyBlank" | "get_MediaHeuristicallyBlank", _) => v.push("blank_queries_need_recorder"),
        ("IBurnVerification::get_BurnVerificationLevel", _) => v.push("default_verification_level"),
        ("get_NumberOfExistingTracks", _) => v.push("cancelled_track_kept"),
        ("get_RequestedWriteSpeed" | "get_RequestedRotationTypeIsPureCAV", _) => {
            v.push("requested_speed_after_prepare")
        }
        ("CancelAddTrack", _) => v.push("rejected_nested_add_clears_writing"),
        ("AddAudioTrack", Aspect::Hresult | Aspect::Value) => v.extend([
            "cancel_result",
            "cancelled_track_kept",
            "rejected_nested_add_clears_writing",
            "hundredth_track_result",
        ]),
        ("AddAudioTrack", _) => {
            v.extend(LAYOUT);
            v.extend(["default_verification_level", "free_after_track"]);
        }
        ("get_ExpectedTableOfContents", _) => {
            v.push("toc_length_field");
            v.extend(LAYOUT);
            v.push("cancelled_track_kept");
        }
        ("get_FreeSectorsOnMedia" | "get_UsedSectorsOnMedia" | "get_TotalSectorsOnMedia", _) => {
            v.extend(["free_after_track", "used_sectors", "cancelled_track_kept"]);
            v.extend(LAYOUT);
        }
        (_, Aspect::ReadBack) => {
            v.extend(["release_without_tracks_keeps_blank", "drop_while_prepared", "cancelled_track_kept"]);
            v.extend(LAYOUT);
            v.push("free_after_track");
        }
        _ => {}
    }
    v
}

/// Settings to try for the differences of `recorded`, given the calibration it was replayed
/// with: every point the differences fall on, each with the values that could reconcile them.
pub fn candidates(diffs: &[Difference], recorded: &Transcript, cal: &Calibration) -> Vec<Setting> {
    let Ok(current) = toml::Table::try_from(cal) else { return Vec::new() };
    let deltas = deltas(diffs);
    let mut out: Vec<Setting> = Vec::new();
    let mut push = |field: &'static str, value: toml::Value| {
        let s = Setting { field, value };
        if s.apply(cal).is_some_and(|c| c != *cal) && !out.contains(&s) {
            out.push(s);
        }
    };
    for d in diffs {
        for field in points(d) {
            match field {
                "prepare_no_media"
                | "cancel_result"
                | "hundredth_track_result"
                | "release_not_prepared"
                | "eject_while_locked" => {
                    if let Some(hr) = recorded_hresult(d, recorded) {
                        let as_text = hr.symbol().map_or_else(|| hr.hex(), str::to_string);
                        push(field, toml::Value::String(as_text));
                    }
                }
                "min_track_sectors" | "pause_sectors" | "run_out_sectors" => {
                    let now = current.get(field).and_then(toml::Value::as_integer).unwrap_or(0);
                    for delta in &deltas {
                        for n in [now + delta, now - delta] {
                            if (0..=10_000).contains(&n) {
                                push(field, toml::Value::Integer(n));
                            }
                        }
                    }
                }
                other => {
                    for v in alternatives(other) {
                        push(other, v);
                    }
                }
            }
        }
    }
    out
}

/// Every value of a flag or a choice.
fn alternatives(field: &str) -> Vec<toml::Value> {
    let s = |x: &str| toml::Value::String(x.to_string());
    match field {
        "used_sectors" => vec![s("total_minus_free"), s("written_only")],
        "toc_length_field" => vec![s("dll"), s("mmc")],
        "is_current_media_supported_no_media" => vec![s("error"), s("false")],
        "default_verification_level" => vec![s("NONE"), s("QUICK"), s("FULL")],
        "drop_while_prepared" => vec![s("leave_open"), s("release")],
        "free_after_track" => vec![s("layout"), s("dll_nwa")],
        "short_track" => vec![s("drive_pads"), s("as_written")],
        "requested_speed_after_prepare" => vec![s("kept"), s("reset")],
        _ => vec![toml::Value::Boolean(true), toml::Value::Boolean(false)],
    }
}

/// The HRESULT the transcript recorded for the call a difference is about.
fn recorded_hresult(d: &Difference, recorded: &Transcript) -> Option<Hresult> {
    let step = recorded.steps.iter().find(|s| Some(s.step) == d.step)?;
    let hex = match d.during {
        None => Some(step.hex.clone()),
        Some(n) => step.during.iter().find(|x| x.during == n).and_then(|x| x.hex.clone()),
    }?;
    hex.parse().ok()
}

/// The sector differences the numeric differences suggest (recorded - simulated, both ways).
fn deltas(diffs: &[Difference]) -> Vec<i64> {
    let mut v: Vec<i64> = diffs
        .iter()
        .filter_map(|d| Some(d.recorded.parse::<i64>().ok()? - d.simulated.parse::<i64>().ok()?))
        .map(i64::abs)
        .filter(|x| (1..=10_000).contains(x))
        .collect();
    v.sort_unstable();
    v.dedup();
    v.truncate(6);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_apply_and_print_as_profile_keys() {
        let s = Setting {
            field: "release_not_prepared",
            value: toml::Value::String("E_IMAPI_DF2TAO_MEDIA_IS_PREPARED".into()),
        };
        assert_eq!(s.to_string(), "calibration.release_not_prepared = \"E_IMAPI_DF2TAO_MEDIA_IS_PREPARED\"");
        let c = s.apply(&Calibration::default()).unwrap();
        assert_eq!(c.release_not_prepared, Hresult::E_IMAPI_DF2TAO_MEDIA_IS_PREPARED);
        let bad = Setting { field: "short_track", value: toml::Value::String("x".into()) };
        assert!(bad.apply(&Calibration::default()).is_none());
        // The retired key is refused, not silently ignored.
        let bad = Setting { field: "pad_short_tracks", value: toml::Value::Boolean(false) };
        assert!(bad.apply(&Calibration::default()).is_none());
        let toc = Setting { field: "toc_length_field", value: toml::Value::String("mmc".into()) };
        assert_eq!(toc.apply(&Calibration::default()).unwrap().toc_length_field, cdr_sim::profile::TocLengthField::Mmc);
    }

    #[test]
    fn every_calibration_field_has_a_spec_point_and_values() {
        let table = toml::Table::try_from(Calibration::default()).unwrap();
        for (field, value) in &table {
            assert_ne!(spec_point(field), "spec (calibration point)", "{field}");
            if let toml::Value::String(_) | toml::Value::Boolean(_) = value {
                let alts = alternatives(field);
                let hr_field = value.as_str().is_some_and(|s| s.contains("(0x"));
                assert!(hr_field || alts.contains(value), "{field}: {value} is not among its alternatives");
            }
        }
    }
}
