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
use super::drive::Drive;
use super::fault::{strike, Strike};
use super::sync::lock;
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
    /// Track number the events announce: the cached count + 1 (spec 3).
    pub number: i32,
    /// The track's number on the disc (the sector sink and device faults use it).
    pub disc_track: u32,
    /// Start LBA: the NWA, fetched after PREPARING.
    pub start: i32,
    /// Pregap before the start (for the sector sink).
    pub pregap: u32,
    /// Whole sectors the stream holds (N): what the events count and the DLL sends.
    pub data_sectors: u64,
    /// Sectors the drive records for a closed track shorter than this (the data, then silence;
    /// `short_track = drive_pads`); 0 when it records the track as written.
    pub padded_to: u64,
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
    /// Sectors of the stream written.
    pub written: u64,
    /// Sectors the drive recorded: `written`, or more when the drive padded a short track.
    pub on_disc: u64,
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
    /// Silence the drive added to a short track while closing it.
    padding: u64,
    sink_begun: bool,
    /// The device fault armed for this track, until it strikes.
    fault: Option<DeviceFault>,
    /// The fault that cut the write.
    struck: Option<DeviceFault>,
    /// Virtual milliseconds the write was held up by underruns that protection caught.
    delay_ms: u64,
}

/// Writes one track, after PREPARING and with the writing flag set. Events (spec 3): WRITING
/// before data flows, every `interval_ms` of virtual time and once when the engine finishes;
/// then, after the close, one FINISHING (unless a device fault cut the write). A drive that
/// pads short tracks records the silence while closing, with no event.
pub(crate) fn write_track(ctx: &WriteContext<'_>, plan: TrackPlan, stream: &mut dyn AudioStream) -> WriteOutcome {
    let fault = ctx.drive.faults().take_for_track(plan.disc_track);
    let mut w = Writer {
        ctx,
        plan,
        hasher: TrackHasher::new(),
        written: 0,
        padding: 0,
        sink_begun: false,
        fault,
        struck: None,
        delay_ms: 0,
    };
    let mut end = w.run(stream);
    if let Some(unmet) = w.fault.take() {
        // The write ended before the fault's sector: it waits for the next write of its track.
        ctx.drive.faults().rearm(unmet);
    }
    if let TrackEnd::Faulted(_) = end {
        // The drive could not close the track: no FINISHING. What reached the disc stays
        // (damaged), so the sector sink still ends the track it began.
        if w.sink_begun {
            if let Some(sink) = lock(ctx.drive.sector_sink()).as_mut() {
                let _ = sink.end_track(plan.disc_track, w.written as u32);
            }
        }
        return w.finish(end);
    }
    // The drive closes the track: a padding drive fills a short one with silence.
    if w.written > 0 && w.written < plan.padded_to && w.pad().is_err() && end == TrackEnd::Complete {
        end = TrackEnd::DeviceFailed;
    }
    if w.sink_begun {
        if let Some(sink) = lock(ctx.drive.sector_sink()).as_mut() {
            // A failure to close is a failure of the track that was otherwise complete.
            if sink.end_track(plan.disc_track, (w.written + w.padding) as u32).is_err() && end == TrackEnd::Complete {
                end = TrackEnd::DeviceFailed;
            }
        }
    }
    let clock = ctx.drive.clock();
    w.fire(TaoWriteAction::Finishing);
    clock.advance_to(clock.now_ms() + plan.timeline.closing_s() * 1000);
    w.finish(end)
}

/// Fires one Update event outside the write loop (PREPARING before the writing flag is set,
/// VERIFYING after it is cleared), with `written` sectors done.
pub(crate) fn announce(ctx: &WriteContext<'_>, plan: &TrackPlan, action: TaoWriteAction, written: u64) {
    let progress = progress(plan, action, written, ctx.drive.clock().now_ms());
    for sink in ctx.sinks {
        sink.update(ctx.format, &progress);
    }
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
        WriteOutcome {
            written: self.written,
            on_disc: self.written + self.padding,
            digest: self.hasher.finalize(),
            end,
            fault,
        }
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
        let end = self.stream_data(stream);
        if !matches!(end, TrackEnd::Faulted(_)) {
            // Spec 3: one WRITING when the engine finishes.
            self.fire(TaoWriteAction::Writing);
        }
        end
    }

    fn stream_data(&mut self, stream: &mut dyn AudioStream) -> TrackEnd {
        let plan = self.plan;
        let clock = self.ctx.drive.clock();
        clock.advance_to(plan.timeline.write_start_ms());
        // Spec 3: one WRITING before data flows.
        self.fire(TaoWriteAction::Writing);
        if self.cancelled() {
            return TrackEnd::Cancelled;
        }
        let mut buf = vec![0u8; CHUNK_SECTORS as usize * SECTOR_BYTES];
        let interval = plan.interval_ms.max(1);
        let mut k = 1;
        let mut next_event = plan.timeline.sectors_at_interval(k, interval).max(1);
        while self.written < plan.data_sectors {
            if let Some(end) = self.meet_fault() {
                return end;
            }
            if self.written >= plan.capacity {
                return TrackEnd::DeviceFailed;
            }
            let n = CHUNK_SECTORS
                .min(plan.data_sectors - self.written)
                .min(next_event - self.written)
                .min(plan.capacity - self.written)
                .min(self.until_fault().max(1));
            let chunk = &mut buf[..n as usize * SECTOR_BYTES];
            let (got, read_ok) = read_full(stream, chunk);
            if got < chunk.len() || !read_ok {
                let whole = got / SECTOR_BYTES * SECTOR_BYTES;
                if self.commit(&mut buf[..whole], whole).is_err() {
                    return TrackEnd::DeviceFailed;
                }
                return TrackEnd::StreamFailed;
            }
            let data = chunk.len();
            if self.commit(chunk, data).is_err() {
                return TrackEnd::DeviceFailed;
            }
            clock.advance_to(plan.timeline.written_ms(self.written).saturating_add(self.delay_ms));
            if self.written == next_event && self.written < plan.data_sectors {
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
        TrackEnd::Complete
    }

    /// The silence a padding drive records after a short track's data, up to `padded_to`
    /// sectors (and no further than the disc's capacity).
    fn pad(&mut self) -> io::Result<()> {
        let target = self.plan.padded_to.min(self.plan.capacity);
        let mut buf = vec![0u8; CHUNK_SECTORS as usize * SECTOR_BYTES];
        while self.written + self.padding < target {
            let n = CHUNK_SECTORS.min(target - self.written - self.padding);
            let chunk = &mut buf[..n as usize * SECTOR_BYTES];
            if let Some(sink) = lock(self.ctx.drive.sector_sink()).as_mut() {
                chunk.fill(0);
                sink.write_sectors(chunk)?;
            }
            self.hasher.update_zeros(n * SECTOR_BYTES as u64);
            self.padding += n;
        }
        Ok(())
    }

    /// Puts whole sectors on the disc: `data` bytes of the stream, then silence to the end of
    /// `sectors`. The sector sink first (its failure is a failed write), then the digest.
    fn commit(&mut self, sectors: &mut [u8], data: usize) -> io::Result<()> {
        if sectors.is_empty() {
            return Ok(());
        }
        if let Some(sink) = lock(self.ctx.drive.sector_sink()).as_mut() {
            if !self.sink_begun {
                sink.begin_track(self.plan.disc_track, self.plan.start, self.plan.pregap)?;
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
        announce(self.ctx, &self.plan, action, self.written);
    }
}

/// The event arguments after `written` sectors (spec 3): LastWrittenLba and LastReadLba are
/// StartLba until a sector is done, then StartLba + sectors done - 1, so a client's
/// `(LastWrittenLba - StartLba) / SectorCount` never reaches 100 %. The engine reads ahead of
/// the drive by up to a buffer's worth; once the data is all written the buffer is drained.
fn progress(plan: &TrackPlan, action: TaoWriteAction, written: u64, now_ms: u64) -> TaoProgress {
    let (elapsed_time, remaining_time) = plan.timeline.times_at(now_ms);
    let start = i64::from(plan.start);
    let buffer_sectors = u64::from(plan.buffer_bytes) / SECTOR_BYTES as u64;
    let read = match action {
        TaoWriteAction::Writing | TaoWriteAction::Unknown => (written + buffer_sectors).min(plan.data_sectors),
        TaoWriteAction::Preparing | TaoWriteAction::Finishing | TaoWriteAction::Verifying => written,
    };
    let last = |done: u64| if done == 0 { start } else { start + done as i64 - 1 };
    let total = i64::from(plan.buffer_bytes);
    let used = (((read - written.min(read)) as i64) * SECTOR_BYTES as i64).clamp(0, total);
    TaoProgress {
        current_track_number: plan.number,
        current_action: action,
        elapsed_time,
        remaining_time,
        start_lba: plan.start,
        sector_count: to_i32(plan.data_sectors as i64),
        last_read_lba: to_i32(last(read)),
        last_written_lba: to_i32(last(written)),
        total_system_buffer: to_i32(total),
        used_system_buffer: to_i32(used),
        free_system_buffer: to_i32(total - used),
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
