//! The disc as the backend reads it back, against the model's disc, plus the layout invariants
//! that hold whatever the model says: at most 99 tracks, tracks contiguous per the layout.

use cdr_sim::contract::{DiscReadBack, SessionState};
use cdr_sim::SECTOR_BYTES;

use super::rule::DiscMismatch;
use crate::{DigestCache, Model, SessionModel, FIRST_PREGAP};

/// Checks `rb` against the model's disc; the error says what differs.
pub fn check_disc(model: &Model, rb: &DiscReadBack, digests: &mut DigestCache) -> Result<(), DiscMismatch> {
    let (d, m) = match (model.media(), rb.media.as_ref()) {
        (None, None) => return Ok(()),
        (Some(_), None) => return Err(DiscMismatch::NoDisc),
        (None, Some(_)) => return Err(DiscMismatch::UnexpectedDisc),
        (Some(d), Some(m)) => (d, m),
    };
    if m.media_type != d.media_type {
        return Err(DiscMismatch::MediaType { got: m.media_type, want: d.media_type });
    }
    if m.status != d.status {
        return Err(DiscMismatch::Status { got: m.status, want: d.status });
    }
    if m.last_possible_lead_out != d.layout.lpl {
        return Err(DiscMismatch::LastPossibleLeadOut { got: m.last_possible_lead_out, atip: d.layout.lpl });
    }
    if m.tracks.len() > 99 {
        return Err(DiscMismatch::TooManyTracks(m.tracks.len()));
    }
    if m.tracks.len() != d.tracks.len() {
        return Err(DiscMismatch::TrackCount { got: m.tracks.len(), want: d.tracks.len() });
    }
    let want_state = match d.session {
        SessionModel::Empty => Some(SessionState::Empty),
        SessionModel::Open => Some(SessionState::Incomplete),
        SessionModel::Closed { finalized: true } => Some(SessionState::Complete),
        // Closed but not finalized: whether the drive reports the closed session or the empty
        // one after it is not said.
        SessionModel::Closed { finalized: false } => None,
    };
    if let Some(want) = want_state.filter(|s| *s != m.last_session_state) {
        return Err(DiscMismatch::SessionState { got: m.last_session_state, want });
    }
    let l = d.layout;
    for (i, (got, want)) in m.tracks.iter().zip(&d.tracks).enumerate() {
        let n = i + 1;
        if got.number as usize != n {
            return Err(DiscMismatch::TrackNumber { track: n, numbered: got.number });
        }
        if got.sectors != want.sectors {
            return Err(DiscMismatch::TrackSectors { track: n, got: got.sectors, want: want.sectors });
        }
        let Some(content) = want.content else { continue };
        // Spec 4: S1 = 0; S(k+1) = S(k) + L(k) + run-out + pause, from the read-back alone.
        let start = if i == 0 {
            0
        } else {
            let prev = &m.tracks[i - 1];
            l.next_start(Some((prev.start, prev.sectors as i32)))
        };
        if got.start != start || got.start != want.start {
            return Err(DiscMismatch::TrackStart { track: n, got: got.start, layout: start, model: want.start });
        }
        let pregap = if i == 0 { FIRST_PREGAP as u32 } else { l.pause as u32 };
        if got.pregap != pregap {
            return Err(DiscMismatch::Pregap { track: n, got: got.pregap, layout: pregap });
        }
        let bytes = u64::from(want.sectors) * SECTOR_BYTES as u64;
        if got.data_bytes != bytes {
            return Err(DiscMismatch::DataBytes { track: n, got: got.data_bytes, want: bytes });
        }
        let digest = digests.digest(content);
        if got.digest.as_deref() != Some(digest.to_hex().as_str()) {
            return Err(DiscMismatch::Digest { track: n, got: got.digest.clone(), want: digest.to_hex().to_string() });
        }
    }
    let want_lead_out = match (d.session, d.last()) {
        (SessionModel::Closed { .. }, Some(last)) if !d.preexisting => Some(l.lead_out(last)),
        (SessionModel::Empty | SessionModel::Open, _) => None,
        _ => return Ok(()),
    };
    if m.lead_out != want_lead_out {
        return Err(DiscMismatch::LeadOut { got: m.lead_out, want: want_lead_out });
    }
    Ok(())
}
