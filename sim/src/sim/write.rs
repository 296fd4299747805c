//! The write loop of AddAudioTrack: streams the track through a fixed buffer into the track's
//! digest (and the sector sink), fires the Update events and advances the virtual clock.
//!
//! Nothing here holds a lock while an Update handler runs: the handler may call back into the
//! format object, and CancelAddTrack only sets the flag this loop checks after every buffer
//! chunk and after every Update call. An armed device fault (`fault.rs`) is met at the same
//! places: chunks end at its sector.

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use super::clock::TrackTimeline;
use super::digest::TrackHasher;
use super::drive::{lock, Drive};
use super::fault::{strike, Strike};
use crate::contract::{
    AudioStream, DeviceFault, DeviceFaultKind, DeviceFaultOutcome, DiscFormat2TrackAtOnce, TaoProgress, TaoUpdateSink,
    TaoWriteAction,
};
use crate::msf::SECTOR_BYTES;

/// Sectors per buffer chunk: the write loop's only allocation is one buffer of this size.
pub(crate) const CHUNK_SECTORS: u64 = 64;

/// What to write.
#[derive(Clone, Copy, Debug)]
pub(crate) struct TrackPlan {
    /// Track number, 1..=99.
    pub number: i32,
    /// Start LBA.
    pub start: i32,
    /// Pregap before the start (for the sector sink).
    pub pregap: u32,
    /// Whole sectors the stream holds.
    pub data_sectors: u64,
    /// Sectors to write: the data, then silence up to the padded length.
    pub sectors: u64,
    /// Sectors the disc can physically take at `start` (up to the last possible lead-out).
    pub capacity: u64,
    /// Timing of the phases and the DLL's estimate.
    pub timeline: TrackTimeline,
    /// Virtual milliseconds between two WRITING events.
    pub interval_ms: u64,
    /// TotalSystemBuffer, bytes.
    pub buffer_bytes: u32,
    /// Buffer-underrun protection is on: the drive has it and BufferUnderrunFreeDisabled is FALSE.
    pub underrun_protected: bool,
}

/// Why the write stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TrackEnd {
    /// Every sector written.
    Complete,
    /// CancelAddTrack stopped it at a sector boundary.
    Cancelled,
    /// The stream ended early or failed to read.
    StreamFailed,
    /// The device could not take more: the sector sink failed, or the disc is full.
    DeviceFailed,
    /// An armed device fault cut the write (`WriteOutcome::fault` says which).
    Faulted(DeviceFaultKind),
}

/// The result of a write.
#[derive(Clone, Debug)]
pub(crate) struct WriteOutcome {
    /// Sectors written (the track's length if it is kept).
    pub written: u64,
    /// BLAKE3 of the sectors written.
    pub digest: blake3::Hash,
    /// Why it stopped.
    pub end: TrackEnd,
    /// The device fault that cut the write, if one did.
    pub fault: Option<DeviceFault>,
}

/// Who to tell and where to write.
pub(crate) struct WriteContext<'a> {
    /// The format object the Update handlers receive (the one AddAudioTrack runs on).
    pub format: &'a dyn DiscFormat2TrackAtOnce,
    /// The advised Update sinks, in cookie order.
    pub sinks: &'a [Arc<dyn TaoUpdateSink>],
    /// Set by CancelAddTrack.
    pub cancel: &'a AtomicBool,
    /// The drive (clock and sector sink).
    pub drive: &'a Drive,
}

struct Writer<'a, 'b> {
    ctx: &'b WriteContext<'a>,
    plan: TrackPlan,
    hasher: TrackHasher,
    written: u64,
    sink_begun: bool,
    /// The device fault armed for this track, until it strikes.
    fault: Option<DeviceFault>,
    /// The fault that cut the write.
    struck: Option<DeviceFault>,
    /// Virtual milliseconds the write was held up by underruns that protection caught.
    delay_ms: u64,
}

/// Writes one track. Events: PREPARING, WRITING every `interval_ms` of virtual time and once
/// at 100 %, FINISHING once a sector is on the disc (unless a device fault cut the write),
/// VERIFYING when `timeline.verify` and the track completed uncancelled.
pub(crate) fn write_track(ctx: &WriteContext<'_>, plan: TrackPlan, stream: &mut dyn AudioStream) -> WriteOutcome {
    let fault = ctx.drive.faults().take_for_track(plan.number as u32);
    let mut w = Writer {
        ctx,
        plan,
        hasher: TrackHasher::new(),
        written: 0,
        sink_begun: false,
        fault,
        struck: None,
        delay_ms: 0,
    };
    let end = w.run(stream);
    if let Some(unmet) = w.fault.take() {
        // The write ended before the fault's sector: it waits for the next write of its track.
        ctx.drive.faults().rearm(unmet);
    }
    let clock = ctx.drive.clock();
    if w.written > 0 {
        if w.sink_begun {
            if let Some(sink) = lock(ctx.drive.sector_sink()).as_mut() {
                // A failure to close is a failure of the track that was otherwise complete.
                if sink.end_track(plan.number as u32, w.written as u32).is_err() && end == TrackEnd::Complete {
                    return w.finish(TrackEnd::DeviceFailed);
                }
            }
        }
        if let TrackEnd::Faulted(_) = end {
            // The drive could not close the track: no FINISHING.
            return w.finish(end);
        }
        w.fire(TaoWriteAction::Finishing);
        clock.advance_to(clock.now_ms() + super::clock::FINISH_S * 1000);
        if plan.timeline.verify && end == TrackEnd::Complete && !w.cancelled() {
            w.fire(TaoWriteAction::Verifying);
            clock.advance_to(clock.now_ms() + super::clock::VERIFY_S * 1000);
        }
    }
    w.finish(end)
}

impl Writer<'_, '_> {
    fn cancelled(&self) -> bool {
        self.ctx.cancel.load(Ordering::Acquire)
    }

    fn finish(self, end: TrackEnd) -> WriteOutcome {
        let fault = match end {
            TrackEnd::Faulted(_) => self.struck,
            _ => None,
        };
        WriteOutcome { written: self.written, digest: self.hasher.finalize(), end, fault }
    }

    /// Meets the armed fault if the write has reached its sector: an underrun that protection
    /// catches holds the write up and is recorded; any other fault ends the write.
    fn meet_fault(&mut self) -> Option<TrackEnd> {
        let fault = self.fault.filter(|f| f.sector == self.written)?;
        self.fault = None;
        match strike(&fault, self.plan.underrun_protected) {
            Strike::Stall(ms) => {
                let clock = self.ctx.drive.clock();
                self.delay_ms = self.delay_ms.saturating_add(ms);
                clock.advance_to(clock.now_ms().saturating_add(ms));
                self.ctx.drive.faults().record(fault, DeviceFaultOutcome::Resumed { delay_ms: ms });
                None
            }
            Strike::Cut(kind) => {
                self.struck = Some(fault);
                Some(TrackEnd::Faulted(kind))
            }
        }
    }

    /// Sectors the write may go before it reaches the armed fault's sector.
    fn until_fault(&self) -> u64 {
        self.fault.map_or(u64::MAX, |f| f.sector.saturating_sub(self.written))
    }

    fn run(&mut self, stream: &mut dyn AudioStream) -> TrackEnd {
        let plan = self.plan;
        let clock = self.ctx.drive.clock();
        self.fire(TaoWriteAction::Preparing);
        if self.cancelled() {
            return TrackEnd::Cancelled;
        }
        clock.advance_to(plan.timeline.write_start_ms());
        let mut buf = vec![0u8; CHUNK_SECTORS as usize * SECTOR_BYTES];
        let interval = plan.interval_ms.max(1);
        let mut k = 1;
        let mut next_event = plan.timeline.sectors_at_interval(k, interval).max(1);
        while self.written < plan.sectors {
            if let Some(end) = self.meet_fault() {
                return end;
            }
            if self.written >= plan.capacity {
                return TrackEnd::DeviceFailed;
            }
            let n = CHUNK_SECTORS
                .min(plan.sectors - self.written)
                .min(next_event - self.written)
                .min(plan.capacity - self.written)
                .min(self.until_fault().max(1));
            let chunk = &mut buf[..n as usize * SECTOR_BYTES];
            let data = plan.data_sectors.saturating_sub(self.written).min(n) as usize * SECTOR_BYTES;
            let (got, read_ok) = read_full(stream, &mut chunk[..data]);
            if got < data || !read_ok {
                let whole = got / SECTOR_BYTES * SECTOR_BYTES;
                if self.commit(&mut buf[..whole], whole).is_err() {
                    return TrackEnd::DeviceFailed;
                }
                return TrackEnd::StreamFailed;
            }
            if self.commit(chunk, data).is_err() {
                return TrackEnd::DeviceFailed;
            }
            clock.advance_to(plan.timeline.written_ms(self.written).saturating_add(self.delay_ms));
            if self.written == next_event && self.written < plan.sectors {
                self.fire(TaoWriteAction::Writing);
                k += 1;
                next_event = plan.timeline.sectors_at_interval(k, interval).max(next_event + 1);
            }
            if self.cancelled() {
                return TrackEnd::Cancelled;
            }
        }
        // A fault at the track's last sector strikes after the data, before the track closes.
        if let Some(end) = self.meet_fault() {
            return end;
        }
        self.fire(TaoWriteAction::Writing);
        TrackEnd::Complete
    }

    /// Puts whole sectors on the disc: `data` bytes of the stream, then silence to the end of
    /// `sectors`. The sector sink first (its failure is a failed write), then the digest.
    fn commit(&mut self, sectors: &mut [u8], data: usize) -> io::Result<()> {
        if sectors.is_empty() {
            return Ok(());
        }
        if let Some(sink) = lock(self.ctx.drive.sector_sink()).as_mut() {
            if !self.sink_begun {
                sink.begin_track(self.plan.number as u32, self.plan.start, self.plan.pregap)?;
                self.sink_begun = true;
            }
            sectors[data..].fill(0);
            sink.write_sectors(sectors)?;
        }
        self.hasher.update(&sectors[..data]);
        self.hasher.update_zeros((sectors.len() - data) as u64);
        self.written += (sectors.len() / SECTOR_BYTES) as u64;
        Ok(())
    }

    /// Calls every Update sink with the progress at this point; no lock is held.
    fn fire(&self, action: TaoWriteAction) {
        let progress = self.progress(action);
        for sink in self.ctx.sinks {
            sink.update(self.ctx.format, &progress);
        }
    }

    fn progress(&self, action: TaoWriteAction) -> TaoProgress {
        let plan = &self.plan;
        let (elapsed_time, remaining_time) = plan.timeline.times_at(self.ctx.drive.clock().now_ms());
        // As IMAPI2 reports them, the LBAs count sectors from StartLba (StartLba + sectors
        // written), so that a client's (LastWrittenLba - StartLba) / SectorCount reaches 100 %.
        let start = i64::from(plan.start);
        let last_written = start + self.written as i64;
        let end = start + plan.sectors as i64;
        let buffer_sectors = i64::from(plan.buffer_bytes) / SECTOR_BYTES as i64;
        // The engine reads ahead of the drive by up to a buffer's worth; once the data is all
        // written the buffer is drained.
        let last_read = match action {
            TaoWriteAction::Preparing | TaoWriteAction::Writing | TaoWriteAction::Unknown => {
                (last_written + buffer_sectors).min(end)
            }
            TaoWriteAction::Finishing | TaoWriteAction::Verifying => last_written,
        };
        let total = i64::from(plan.buffer_bytes);
        let used = ((last_read - last_written) * SECTOR_BYTES as i64).clamp(0, total);
        TaoProgress {
            current_track_number: plan.number,
            current_action: action,
            elapsed_time,
            remaining_time,
            start_lba: plan.start,
            sector_count: to_i32(plan.sectors as i64),
            last_read_lba: to_i32(last_read),
            last_written_lba: to_i32(last_written),
            total_system_buffer: to_i32(total),
            used_system_buffer: to_i32(used),
            free_system_buffer: to_i32(total - used),
        }
    }
}

fn to_i32(v: i64) -> i32 {
    v.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32
}

/// Reads until `buf` is full, the stream ends, or it fails: (bytes read, no error).
fn read_full(stream: &mut dyn AudioStream, buf: &mut [u8]) -> (usize, bool) {
    let mut got = 0;
    while got < buf.len() {
        match stream.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n.min(buf.len() - got),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => return (got, false),
        }
    }
    (got, true)
}
