//! The disc as the backend reads it back, against the model's disc, plus the layout invariants
//! that hold whatever the model says: at most 99 tracks, tracks contiguous per the layout.

use cdr_sim::contract::{DiscReadBack, SessionState};
use cdr_sim::SECTOR_BYTES;

use crate::{DigestCache, Model, SessionModel, FIRST_PREGAP};

/// Checks `rb` against the model's disc; the error says what differs.
pub fn check_disc(model: &Model, rb: &DiscReadBack, digests: &mut DigestCache) -> Result<(), String> {
    let (d, m) = match (model.media(), rb.media.as_ref()) {
        (None, None) => return Ok(()),
        (Some(_), None) => return Err("read-back: no disc, the model has one in a closed tray".into()),
        (None, Some(_)) => return Err("read-back: a disc, the model's tray is open or empty".into()),
        (Some(d), Some(m)) => (d, m),
    };
    if m.media_type != d.media_type {
        return Err(format!("read-back: media type {}, the model's disc is {}", m.media_type, d.media_type));
    }
    if m.status != d.status {
        return Err(format!("read-back: disc status {:?}, the model expects {:?}", m.status, d.status));
    }
    if m.last_possible_lead_out != d.layout.lpl {
        return Err(format!(
            "read-back: last possible lead-out {}, ATIP says {}",
            m.last_possible_lead_out, d.layout.lpl
        ));
    }
    if m.tracks.len() > 99 {
        return Err(format!("read-back: {} tracks, at most 99", m.tracks.len()));
    }
    if m.tracks.len() != d.tracks.len() {
        return Err(format!("read-back: {} tracks, the model expects {}", m.tracks.len(), d.tracks.len()));
    }
    let want_state = match d.session {
        SessionModel::Empty => Some(SessionState::Empty),
        SessionModel::Open => Some(SessionState::Incomplete),
        SessionModel::Closed { finalized: true } => Some(SessionState::Complete),
        // Closed but not finalized: whether the drive reports the closed session or the empty
        // one after it is not said.
        SessionModel::Closed { finalized: false } => None,
    };
    if want_state.is_some_and(|s| s != m.last_session_state) {
        return Err(format!(
            "read-back: last session {:?}, the model expects {:?}",
            m.last_session_state,
            want_state.unwrap_or(SessionState::Empty)
        ));
    }
    let l = d.layout;
    for (i, (got, want)) in m.tracks.iter().zip(&d.tracks).enumerate() {
        let n = i + 1;
        if got.number as usize != n {
            return Err(format!("read-back: track {n} is numbered {}", got.number));
        }
        if got.sectors != want.sectors {
            return Err(format!(
                "read-back: track {n} has {} sectors, the model expects {}",
                got.sectors, want.sectors
            ));
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
            return Err(format!(
                "read-back: track {n} starts at {}, the layout puts it at {start} (model {})",
                got.start, want.start
            ));
        }
        let pregap = if i == 0 { FIRST_PREGAP as u32 } else { l.pause as u32 };
        if got.pregap != pregap {
            return Err(format!("read-back: track {n} pregap {}, the layout gives {pregap}", got.pregap));
        }
        let bytes = u64::from(want.sectors) * SECTOR_BYTES as u64;
        if got.data_bytes != bytes {
            return Err(format!("read-back: track {n} holds {} bytes of audio, the model {bytes}", got.data_bytes));
        }
        let digest = digests.digest(content);
        if got.digest.as_deref() != Some(digest.to_hex().as_str()) {
            return Err(format!(
                "read-back: track {n} digest {:?} is not the BLAKE3 of what was streamed ({})",
                got.digest,
                digest.to_hex()
            ));
        }
    }
    let want_lead_out = match (d.session, d.last()) {
        (SessionModel::Closed { .. }, Some(last)) if !d.preexisting => Some(l.lead_out(last)),
        (SessionModel::Empty | SessionModel::Open, _) => None,
        _ => return Ok(()),
    };
    if m.lead_out != want_lead_out {
        return Err(format!("read-back: lead-out {:?}, the model expects {want_lead_out:?}", m.lead_out));
    }
    Ok(())
}
