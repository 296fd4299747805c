//! The event that fired each `during` call, in words, for the human and HTML reports: a
//! trigger fires at the first Update event that matches it, and events come at the drive's
//! cadence, so `percent = 10` may fire at 40 %; the report says where it really fired.

use cdr_scenario::transcript::{DuringRecord, EventRecord, StepRecord};

/// One line per `during` call of `step`: `step 4, during 1: get_FreeSectorsOnMedia (when
/// WRITING 10%) fired at WRITING, track 1, sector 3600 of 9000 (40 %)`.
pub fn during_lines(step: &StepRecord) -> Vec<String> {
    step.during.iter().map(|d| format!("{} {}", during_label(step, d), fired_text(d))).collect()
}

/// `step 4, during 1: get_FreeSectorsOnMedia (when WRITING 10%)`.
pub fn during_label(step: &StepRecord, d: &DuringRecord) -> String {
    format!("step {}, during {}: {} (when {})", step.step, d.during, d.call, d.when)
}

/// `fired at <event>`, or `never fired: ...` with the reason a progress trigger cannot fire.
pub fn fired_text(d: &DuringRecord) -> String {
    match (&d.event, d.fired) {
        (Some(e), true) => format!("fired at {}", event_text(e)),
        _ => format!("never fired: no Update event matched{}", never_fired_reason(&d.when)),
    }
}

/// Why a progress trigger (`WRITING N%`, `sector N`) may never fire: IMAPI2's last WRITING
/// event reads LastWrittenLba = StartLba + SectorCount - 1, so the sectors done as a client
/// computes them stop one short of the track, and the percent short of 100 (the shipped DLL
/// does this; the simulator follows it). Empty for the other triggers.
pub fn never_fired_reason(when: &str) -> String {
    const LAST: &str = "the last WRITING event reads LastWrittenLba = StartLba + SectorCount - 1";
    const INSTEAD: &str = "use { action = \"FINISHING\" } to act once the data is written";
    if let Some(percent) = when.strip_prefix("WRITING ").and_then(|r| r.strip_suffix('%')) {
        let percent: u32 = percent.trim().parse().unwrap_or(0);
        if percent >= 100 {
            format!("; (LastWrittenLba - StartLba) / SectorCount never reaches 100 %: {LAST}, as on Windows; {INSTEAD}")
        } else {
            format!(
                "; no WRITING event reached {percent} %: events come before data flows, every 500 ms of \
                 virtual time and once the engine finishes, and {LAST}, so a short track may never get there; \
                 {INSTEAD}"
            )
        }
    } else if when.starts_with("sector ") {
        format!("; LastWrittenLba - StartLba stops at SectorCount - 1 ({LAST}); {INSTEAD}")
    } else {
        String::new()
    }
}

/// `WRITING, track 1, sector 3600 of 9000 (40 %)`: the sectors are those of the track written
/// when the event came (LastWrittenLba - StartLba), of SectorCount.
pub fn event_text(e: &EventRecord) -> String {
    let done = i64::from(e.last_written_lba) - i64::from(e.start_lba);
    let of = i64::from(e.sector_count);
    let percent = if of > 0 { done * 100 / of } else { 0 };
    format!("{}, track {}, sector {done} of {of} ({percent} %)", e.action, e.track)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sector_and_percent_are_those_of_the_event() {
        let e = EventRecord {
            action: "WRITING".into(),
            track: 2,
            start_lba: 1000,
            sector_count: 9000,
            last_written_lba: 4600,
            elapsed: 3,
            remaining: 10,
        };
        assert_eq!(event_text(&e), "WRITING, track 2, sector 3600 of 9000 (40 %)");
    }

    #[test]
    fn a_percent_trigger_that_never_fired_says_why() {
        let hundred = never_fired_reason("WRITING 100%");
        assert!(hundred.contains("never reaches 100 %"), "{hundred}");
        assert!(hundred.contains("FINISHING"), "{hundred}");
        assert!(never_fired_reason("WRITING 50%").contains("no WRITING event reached 50 %"));
        assert!(never_fired_reason("sector 300").contains("SectorCount - 1"));
        assert_eq!(never_fired_reason("PREPARING"), "");
    }
}
