//! Progress bars for burns, fed by the Update events of the format objects a recording
//! creates: one bar per track, sectors written out of the track's length, with the action and
//! IMAPI2's elapsed and remaining seconds.

use std::sync::Mutex;

use cdr_sim::{DiscFormat2TrackAtOnce, TaoProgress, TaoUpdateSink, TaoWriteAction};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// An Update sink that draws a bar on standard error (hidden when it is not a terminal).
pub struct BurnProgress {
    visible: bool,
    bar: Mutex<Option<(i32, ProgressBar)>>,
}

impl BurnProgress {
    /// Bars drawn on standard error when `visible`, else kept hidden.
    pub fn new(visible: bool) -> Self {
        BurnProgress { visible, bar: Mutex::new(None) }
    }

    fn start(&self, total: u64) -> ProgressBar {
        let target = if self.visible { ProgressDrawTarget::stderr() } else { ProgressDrawTarget::hidden() };
        let bar = ProgressBar::with_draw_target(Some(total), target);
        bar.set_style(
            ProgressStyle::with_template("{prefix} {bar:40} {pos}/{len} sectors {wide_msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    }

    /// Ends the current bar, if any (at the end of a scenario).
    pub fn finish(&self) {
        if let Some((_, bar)) = self.bar.lock().unwrap_or_else(|p| p.into_inner()).take() {
            bar.finish_and_clear();
        }
    }

    /// The current bar's position and length, for tests.
    pub fn position(&self) -> Option<(u64, u64)> {
        let guard = self.bar.lock().unwrap_or_else(|p| p.into_inner());
        guard.as_ref().map(|(_, b)| (b.position(), b.length().unwrap_or(0)))
    }
}

impl TaoUpdateSink for BurnProgress {
    fn update(&self, _: &dyn DiscFormat2TrackAtOnce, p: &TaoProgress) {
        let mut guard = self.bar.lock().unwrap_or_else(|e| e.into_inner());
        let total = u64::try_from(p.sector_count.max(0)).unwrap_or(0);
        let same_track = guard.as_ref().is_some_and(|(t, _)| *t == p.current_track_number);
        if !same_track || p.current_action == TaoWriteAction::Preparing {
            if let Some((_, old)) = guard.take() {
                old.finish_and_clear();
            }
            let bar = self.start(total);
            bar.set_prefix(format!("track {:>2}", p.current_track_number));
            *guard = Some((p.current_track_number, bar));
        }
        let Some((_, bar)) = guard.as_ref() else { return };
        let written = i64::from(p.last_written_lba) - i64::from(p.start_lba) + 1;
        let pos = match p.current_action {
            TaoWriteAction::Preparing | TaoWriteAction::Unknown => 0,
            TaoWriteAction::Writing => u64::try_from(written.max(0)).unwrap_or(0).min(total),
            TaoWriteAction::Finishing | TaoWriteAction::Verifying => total,
        };
        bar.set_position(pos);
        bar.set_message(format!(
            "{} {} s elapsed, {} s left",
            p.current_action.name(),
            p.elapsed_time,
            p.remaining_time
        ));
    }
}
