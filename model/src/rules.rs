//! The rules: for each member, the HRESULT and value the spec prescribes in the model's state
//! ([`Model::predict`]), and the effect of the answer a backend gave ([`Model::apply`]). Each
//! rule cites its row of `docs/reference/behaviour.md`. Where the spec is silent the prediction is
//! loose (`HrSet::Any`, `Check::Nothing`), and the effect follows the observed answer.

use cdr_sim::profile::{DiscState, NoMediaAnswer, RequestedSpeedAfterPrepare, ShortTrack, TaoDetection};
use cdr_sim::{Hresult, PhysicalMediaType};

use super::expect::{Check, Expect, HrSet, Value};
use super::layout::TocImage;
use super::op::{Client, Member, NameArg, Source};
use super::state::{Content, Disc, FormatPhase, Lock, Model, Session, SessionModel, Track, Write};
use cdr_scenario::call::EnumValue;

type H = Hresult;

/// Spec 2, AddAudioTrack: at most 2^31 - 1 sectors in a stream.
const MAX_STREAM_SECTORS: u64 = (1 << 31) - 1;
/// Spec 2 / 4: at most 99 tracks.
pub const MAX_TRACKS: u32 = 99;

/// What an INQUIRY field of `width` characters can hold of `value`.
fn inquiry(value: &str, width: usize) -> String {
    value.chars().take(width).collect()
}

/// Whether a track fits the disc (see [`Model::beyond_disc`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fit {
    Fits,
    DataBeyond,
    PaddingBeyond,
}

impl Model {
    fn cal(&self) -> &cdr_sim::Calibration {
        &self.env.drive.calibration
    }

    /// Spec 2, IsRecorderSupported: the drive writes track-at-once as IMAPI2 finds out: MMC
    /// feature 0x002D; without it, mode page 2A's CD-R or CD-RW write bit; without GET
    /// CONFIGURATION, never.
    pub fn tao_supported(&self) -> bool {
        let d = &self.env.drive;
        match d.tao_detection {
            TaoDetection::Feature => d.track_at_once,
            TaoDetection::ModePage => [PhysicalMediaType::CdR, PhysicalMediaType::CdRw]
                .into_iter()
                .any(|m| !d.write_speeds.for_media(m).is_empty()),
            TaoDetection::NoGetConfiguration => false,
        }
    }

    /// Write speeds (sectors/s) of the drive for the disc it sees, `None` when there is no
    /// readable disc or the drive cannot write it.
    fn speeds(&self) -> Option<(PhysicalMediaType, Vec<i64>)> {
        let d = self.media().filter(|d| !d.unreadable)?;
        let v: Vec<i64> =
            self.env.drive.write_speeds.for_media(d.media_type).into_iter().map(|x| i64::from(x) * 75).collect();
        (!v.is_empty()).then_some((d.media_type, v))
    }

    /// The speed the drive picks for a request (spec 2, SetWriteSpeed: -1 fastest, else the
    /// closest supported); `None` on a tie the spec does not settle.
    fn effective_speed(speeds: &[i64], requested: i32) -> Option<i64> {
        if requested == -1 {
            return speeds.iter().copied().max();
        }
        let requested = i64::from(requested);
        let best = speeds.iter().map(|s| (s - requested).abs()).min()?;
        let mut close = speeds.iter().filter(|s| (**s - requested).abs() == best);
        let first = *close.next()?;
        close.next().is_none().then_some(first)
    }

    /// The predicted answer of `member` called by `c` in the current state (from the Update
    /// handler when `c` is writing). AddAudioTrack's prediction covers its checks; when they
    /// pass, the answer is `S_OK` here and the write itself is [`Model::begin_write`] /
    /// [`Model::end_write`].
    pub fn predict(&self, c: Client, member: Member) -> Expect {
        let f = self.format(c);
        let state = f.state();
        let writing = state == FormatPhase::Writing;
        let prepared = f.session.is_some();
        let cal = self.cal();
        let tao = self.tao_supported();
        match member {
            // Spec 2, IsRecorderSupported: feature 0x002D, else mode page 2A's write bits; no
            // GET CONFIGURATION: FALSE with S_OK.
            Member::IsRecorderSupported(_) => Expect::value(Value::Bool(tao)),
            // Spec 2, IsCurrentMediaSupported: TRUE only for a blank CD-R/RW in a TAO drive;
            // no media per calibration [choice] (default S_OK and FALSE, as the DLL answers).
            Member::IsCurrentMediaSupported(_) => match self.media() {
                None => match cal.is_current_media_supported_no_media {
                    NoMediaAnswer::Error => Expect::hr(H::E_IMAPI_RECORDER_MEDIA_NO_MEDIA),
                    NoMediaAnswer::False => Expect::value(Value::Bool(false)),
                },
                Some(d) if d.unreadable || d.write_protected => Expect::any(),
                Some(d) => {
                    Expect::value(Value::Bool(tao && d.media_type.is_writable_cd() && d.status == DiscState::Blank))
                }
            },
            // Spec 2, MediaPhysicallyBlank / MediaHeuristicallyBlank: R [choice]; no media ->
            // MEDIA_NO_MEDIA.
            Member::GetMediaPhysicallyBlank | Member::GetMediaHeuristicallyBlank => {
                if !f.recorder {
                    return if cal.blank_queries_need_recorder {
                        Expect::hr(H::E_IMAPI_DF2TAO_NO_RECORDER_SPECIFIED)
                    } else {
                        Expect::any()
                    };
                }
                match self.media() {
                    None => Expect::hr(H::E_IMAPI_RECORDER_MEDIA_NO_MEDIA),
                    Some(d) if d.unreadable => Expect::any(),
                    Some(d) => Expect::value(Value::Bool(d.status == DiscState::Blank)),
                }
            }
            // Spec 2, SupportedMediaTypes: CD-R and CD-RW.
            Member::GetSupportedMediaTypes => Expect::value(Value::List(vec![
                Value::Enum(EnumValue::media_type(PhysicalMediaType::CdR)),
                Value::Enum(EnumValue::media_type(PhysicalMediaType::CdRw)),
            ])),
            Member::PrepareMedia => self.predict_prepare(c),
            Member::AddAudioTrack(source) => self.predict_add(c, source),
            // Spec 2, CancelAddTrack: only while the writing flag is set (so not from the
            // PREPARING or VERIFYING handler).
            Member::CancelAddTrack => {
                if writing {
                    Expect::ok()
                } else {
                    Expect::hr(H::E_IMAPI_DF2TAO_WRITE_NOT_IN_PROGRESS)
                }
            }
            // Spec 2, ReleaseMedia: not prepared -> [choice], then WRITE_IN_PROGRESS.
            Member::ReleaseMedia => {
                if !prepared {
                    Expect::hr(cal.release_not_prepared)
                } else if writing {
                    Expect::hr(H::E_IMAPI_DF2TAO_WRITE_IN_PROGRESS)
                } else {
                    Expect::ok()
                }
            }
            // Spec 2, SetWriteSpeed: needs a recorder (RECORDER_REQUIRED); the success code
            // says what the drive adjusted. Not listed as !W: mid-write the spec is silent.
            Member::SetWriteSpeed(speed, cav) => {
                if !f.recorder {
                    return Expect::hr(H::E_IMAPI_RECORDER_REQUIRED);
                }
                // Mid-write, and speeds that are neither -1 nor a rate (0, below -1): silent.
                if writing || speed == 0 || speed < -1 {
                    return Expect::any();
                }
                let Some((_, speeds)) = self.speeds() else {
                    return Expect { hr: HrSet::Success, value: Check::Nothing };
                };
                let speed_ok = speed == -1 || speeds.contains(&i64::from(speed));
                if !speed_ok && Self::effective_speed(&speeds, speed).is_none() {
                    return Expect { hr: HrSet::Success, value: Check::Nothing };
                }
                // The drive profiles know CLV speeds only: a pure-CAV request is adjusted.
                Expect::hr(match (speed_ok, !cav) {
                    (true, true) => H::S_OK,
                    (false, true) => H::S_IMAPI_SPEEDADJUSTED,
                    (true, false) => H::S_IMAPI_ROTATIONADJUSTED,
                    (false, false) => H::S_IMAPI_BOTHADJUSTED,
                })
            }
            // Spec 2, put_Recorder: !W, !P; a recorder without TAO -> RECORDER_NOT_SUPPORTED.
            Member::PutRecorder(own) => {
                if writing {
                    Expect::hr(H::E_IMAPI_DF2TAO_WRITE_IN_PROGRESS)
                } else if prepared {
                    Expect::hr(H::E_IMAPI_DF2TAO_MEDIA_IS_PREPARED)
                } else if own && !tao {
                    Expect::hr(H::E_IMAPI_DF2TAO_RECORDER_NOT_SUPPORTED)
                } else {
                    Expect::ok()
                }
            }
            // Spec 2, get_Recorder: the row "put_Recorder / get_Recorder | !W, !P" may give the
            // rules to both or to put only (other rows say "put:" where only put has them): the
            // value, or the put's refusal.
            Member::GetRecorder => {
                self.getter_of_put_row(f, if f.recorder { Value::Str(self.env.drive.unique_id()) } else { Value::Null })
            }
            // Spec 2, put_BufferUnderrunFreeDisabled: P, then !W.
            Member::PutBufferUnderrunFreeDisabled(_) => {
                if !prepared {
                    Expect::hr(H::E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED)
                } else if writing {
                    Expect::hr(H::E_IMAPI_DF2TAO_WRITE_IN_PROGRESS)
                } else {
                    Expect::ok()
                }
            }
            // Spec 2, get_BufferUnderrunFreeDisabled: no rule; default FALSE.
            Member::GetBufferUnderrunFreeDisabled => Expect::value(Value::Bool(f.buffer_underrun_free_disabled)),
            // Spec 2, get_NumberOfExistingTracks: P, !W; tracks completed in this session.
            Member::GetNumberOfExistingTracks => match f.session {
                None => Expect::hr(H::E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED),
                Some(_) if writing => Expect::hr(H::E_IMAPI_DF2TAO_WRITE_IN_PROGRESS),
                Some(s) => Expect::value(Value::Int(i64::from(s.tracks))),
            },
            // Spec 2, get_TotalSectorsOnMedia: P; cached while writing.
            Member::GetTotalSectorsOnMedia => self.session_value(f, |s| s.total),
            // Spec 2, get_FreeSectorsOnMedia: P; during AddAudioTrack the value from before the
            // call (the cache is refreshed only after the track closes).
            Member::GetFreeSectorsOnMedia => self.session_value(f, |s| s.free),
            // Spec 2, get_UsedSectorsOnMedia: P; during a write the value before it began.
            Member::GetUsedSectorsOnMedia => self.session_value(f, |s| s.used),
            // Spec 2, put_DoNotFinalizeMedia: !W, !P; PROPERTY_FOR_BLANK_MEDIA_ONLY once the
            // media has been written. Without a recorder or a readable disc the spec is silent.
            Member::PutDoNotFinalizeMedia(_) => {
                if let Some(e) = self.not_writing_not_prepared(f) {
                    return e;
                }
                match self.media() {
                    Some(d) if f.recorder && !d.unreadable => {
                        if d.status == DiscState::Blank {
                            Expect::ok()
                        } else {
                            Expect::hr(H::E_IMAPI_DF2TAO_PROPERTY_FOR_BLANK_MEDIA_ONLY)
                        }
                    }
                    _ => Expect::any(),
                }
            }
            // Spec 2, get_DoNotFinalizeMedia: default FALSE.
            Member::GetDoNotFinalizeMedia => Expect::value(Value::Bool(f.do_not_finalize)),
            // Spec 2, get_ExpectedTableOfContents: WRITE_IN_PROGRESS, then MEDIA_IS_NOT_PREPARED,
            // then TABLE_OF_CONTENTS_EMPTY_DISC (cached count 0); else the cached image.
            Member::GetExpectedTableOfContents => match f.session {
                _ if writing => Expect::hr(H::E_IMAPI_DF2TAO_WRITE_IN_PROGRESS),
                None => Expect::hr(H::E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED),
                Some(s) if s.tracks == 0 => Expect::hr(H::E_IMAPI_DF2TAO_TABLE_OF_CONTENTS_EMPTY_DISC),
                Some(s) => Expect::value(Value::Bytes(s.toc.bytes(s.tracks))),
            },
            // Spec 2, get_CurrentPhysicalMediaType: R; no media -> MEDIA_NO_MEDIA.
            Member::GetCurrentPhysicalMediaType => {
                if !f.recorder {
                    return Expect::hr(H::E_IMAPI_DF2TAO_NO_RECORDER_SPECIFIED);
                }
                match self.media() {
                    None => Expect::hr(H::E_IMAPI_RECORDER_MEDIA_NO_MEDIA),
                    Some(d) if d.unreadable => Expect::any(),
                    Some(d) => Expect::value(Value::Enum(EnumValue::media_type(d.media_type))),
                }
            }
            // Spec 2, put_ClientName: !W, !P; an invalid name fails either here or at
            // PrepareMedia (CLIENT_NAME_IS_NOT_VALID); NULL is accepted (clients set it on the
            // way out).
            Member::PutClientName(name) => self.not_writing_not_prepared(f).unwrap_or_else(|| {
                if name == NameArg::Null || name.is_valid() {
                    Expect::ok()
                } else {
                    Expect {
                        hr: HrSet::Either(H::S_OK, H::E_IMAPI_DF2TAO_CLIENT_NAME_IS_NOT_VALID),
                        value: Check::Nothing,
                    }
                }
            }),
            // Spec 2, get_ClientName: as get_Recorder, the row's !W, !P may be the put's only.
            Member::GetClientName => self.getter_of_put_row(
                f,
                match f.client_name.and_then(NameArg::as_str) {
                    Some(n) => Value::Str(n.to_owned()),
                    None => Value::Null,
                },
            ),
            // Spec 2, get_RequestedWriteSpeed / RotationType: the last values given.
            Member::GetRequestedWriteSpeed => Expect::value(Value::Int(i64::from(f.requested_speed))),
            Member::GetRequestedRotationTypeIsPureCav => Expect::value(Value::Bool(f.requested_pure_cav)),
            // Spec 2, get_CurrentWriteSpeed: R; the drive's effective speed for the media, from
            // the request it last had applied (by any client's SetWriteSpeed or PrepareMedia).
            Member::GetCurrentWriteSpeed => {
                if !f.recorder {
                    return Expect::hr(H::E_IMAPI_DF2TAO_NO_RECORDER_SPECIFIED);
                }
                match self.speeds().and_then(|(_, s)| Self::effective_speed(&s, self.applied_speed)) {
                    Some(v) => Expect::value(Value::Int(v)),
                    None => Expect::any(),
                }
            }
            // Spec 2, get_CurrentRotationTypeIsPureCAV: R; the profiles know CLV speeds only.
            Member::GetCurrentRotationTypeIsPureCav => {
                if !f.recorder {
                    return Expect::hr(H::E_IMAPI_DF2TAO_NO_RECORDER_SPECIFIED);
                }
                match self.speeds() {
                    Some(_) => Expect::value(Value::Bool(false)),
                    None => Expect::any(),
                }
            }
            // Spec 2, get_SupportedWriteSpeeds / Descriptors: R; speeds for this media.
            Member::GetSupportedWriteSpeeds | Member::GetSupportedWriteSpeedDescriptors => {
                if !f.recorder {
                    return Expect::hr(H::E_IMAPI_DF2TAO_NO_RECORDER_SPECIFIED);
                }
                match self.speeds() {
                    Some((_, s)) if member == Member::GetSupportedWriteSpeeds => Expect::check(Check::SpeedSet(s)),
                    Some((m, s)) => Expect::check(Check::DescriptorSet(m, s)),
                    None => Expect::any(),
                }
            }
            // Spec 2, IBurnVerification: NONE, QUICK and FULL are accepted (FULL only lengthens
            // the estimate); mid-write the spec is silent.
            Member::PutBurnVerificationLevel(_) => {
                if writing {
                    Expect::any()
                } else {
                    Expect::ok()
                }
            }
            Member::GetBurnVerificationLevel => {
                Expect::value(Value::Enum(EnumValue::verification_level(f.verification)))
            }
            Member::Insert(_) => {
                // Backend::change_media: fails while the tray is locked by a prepared session.
                if self.tray_locked() {
                    Expect::failure()
                } else {
                    Expect::ok()
                }
            }
            Member::RecorderInitializeDiscRecorder(_)
            | Member::RecorderGetActiveDiscRecorder
            | Member::RecorderGetVendorId
            | Member::RecorderGetProductId
            | Member::RecorderGetProductRevision
            | Member::RecorderGetVolumeName
            | Member::RecorderGetVolumePathNames
            | Member::RecorderGetDeviceCanLoadMedia
            | Member::RecorderGetLegacyDeviceNumber
            | Member::RecorderGetSupportedProfiles
            | Member::RecorderGetCurrentProfiles
            | Member::RecorderGetSupportedFeaturePages
            | Member::RecorderGetCurrentFeaturePages
            | Member::RecorderGetSupportedModePages
            | Member::RecorderGetExclusiveAccessOwner
            | Member::RecorderAcquireExclusiveAccess(_, _)
            | Member::RecorderReleaseExclusiveAccess
            | Member::RecorderEjectMedia
            | Member::RecorderCloseTray
            | Member::RecorderDisableMcn
            | Member::RecorderEnableMcn => self.predict_recorder(c, member),
        }
    }

    /// !W then !P (spec 2 rows of put_Recorder, put_ClientName, put_DoNotFinalizeMedia).
    fn not_writing_not_prepared(&self, f: &super::state::Format) -> Option<Expect> {
        if f.writing_flag {
            Some(Expect::hr(H::E_IMAPI_DF2TAO_WRITE_IN_PROGRESS))
        } else if f.session.is_some() {
            Some(Expect::hr(H::E_IMAPI_DF2TAO_MEDIA_IS_PREPARED))
        } else {
            None
        }
    }

    /// A getter whose spec row reads "put_X / get_X | !W, !P": the value, or (if the rules are
    /// read as the getter's too) WRITE_IN_PROGRESS / MEDIA_IS_PREPARED.
    fn getter_of_put_row(&self, f: &super::state::Format, v: Value) -> Expect {
        match self.not_writing_not_prepared(f) {
            Some(Expect { hr: HrSet::One(refusal), .. }) => {
                Expect { hr: HrSet::Either(H::S_OK, refusal), value: Check::Exact(v) }
            }
            _ => Expect::value(v),
        }
    }

    fn session_value(&self, f: &super::state::Format, get: impl Fn(&Session) -> i32) -> Expect {
        match &f.session {
            None => Expect::hr(H::E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED),
            Some(s) => Expect::value(Value::Int(i64::from(get(s)))),
        }
    }

    /// Spec 2, PrepareMedia, in its order of checks.
    fn predict_prepare(&self, c: Client) -> Expect {
        let f = self.format(c);
        let cal = self.cal();
        // R.
        if !f.recorder {
            return Expect::hr(H::E_IMAPI_DF2TAO_NO_RECORDER_SPECIFIED);
        }
        // !P (while writing too): MEDIA_IS_PREPARED, and the object is un-prepared.
        if f.session.is_some() {
            return Expect::hr(H::E_IMAPI_DF2TAO_MEDIA_IS_PREPARED);
        }
        // No media -> [choice].
        let Some(d) = self.media() else { return Expect::hr(cal.prepare_no_media) };
        // A disc the drive cannot read: the spec does not say which code.
        if d.unreadable {
            return Expect::failure();
        }
        // Physical media type not CD-R/CD-RW -> MEDIA_IS_NOT_SUPPORTED.
        if !d.media_type.is_writable_cd() {
            return Expect::hr(H::E_IMAPI_DF2TAO_MEDIA_IS_NOT_SUPPORTED);
        }
        // Not blank -> MEDIA_IS_NOT_BLANK (TAO never appends).
        if d.status != DiscState::Blank {
            return Expect::hr(H::E_IMAPI_DF2TAO_MEDIA_IS_NOT_BLANK);
        }
        // A write-protected disc cannot be prepared for writing; the spec gives neither the code
        // nor the place among the remaining checks.
        if d.write_protected {
            return Expect::failure();
        }
        // Client name: invalid, or never set under the [choice] -> CLIENT_NAME_IS_NOT_VALID.
        match f.client_name {
            Some(n @ NameArg::Name(_)) if !n.is_valid() => {
                return Expect::hr(H::E_IMAPI_DF2TAO_CLIENT_NAME_IS_NOT_VALID)
            }
            None | Some(NameArg::Null) if cal.unset_client_name_is_invalid => {
                return Expect::hr(H::E_IMAPI_DF2TAO_CLIENT_NAME_IS_NOT_VALID)
            }
            _ => {}
        }
        // Another client's session is prepared on this drive but its exclusive access was given
        // up (ReleaseExclusiveAccess while prepared): two sessions on one disc, of which the
        // spec says nothing.
        let other = Client::ALL[1 - c.index()];
        if self.format(other).session.is_some() && self.lock.is_none_or(|l| l.holder == c) {
            return Expect::any();
        }
        // Exclusive access through the client's recorder object (spec 2 and 8): a lock that
        // object holds (its own AcquireExclusiveAccess, or a first PrepareMedia's count left by
        // a second one) just adds one; one held through the other recorder object -> LOCKED.
        match self.lock {
            Some(l) if l.holder != c => Expect::hr(H::E_IMAPI_RECORDER_LOCKED),
            _ => Expect::ok(),
        }
    }

    /// Spec 2, AddAudioTrack, its checks in the DLL's order.
    fn predict_add(&self, c: Client, source: Source) -> Expect {
        let f = self.format(c);
        let Some(s) = f.session else { return Expect::hr(H::E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED) };
        if f.writing_flag {
            return Expect::hr(H::E_IMAPI_DF2TAO_WRITE_IN_PROGRESS);
        }
        if s.tracks >= MAX_TRACKS {
            return Expect::hr(H::E_IMAPI_DF2TAO_TRACK_LIMIT_REACHED);
        }
        let bytes = source.bytes();
        let sector = cdr_sim::SECTOR_BYTES as u64;
        if bytes == 0 || bytes % sector != 0 || bytes / sector > MAX_STREAM_SECTORS {
            return Expect::hr(H::E_IMAPI_DF2TAO_STREAM_NOT_SUPPORTED);
        }
        // N > cached Free -> NOT_ENOUGH_SPACE: N exact (the DLL does not pad), compared
        // signed (a negative Free refuses every track).
        if (bytes / sector) as i64 > i64::from(s.free) {
            return Expect::hr(H::E_IMAPI_DF2TAO_NOT_ENOUGH_SPACE);
        }
        match self.fit(c, (bytes / sector) as u32) {
            Fit::Fits => Expect::ok(),
            // A Free that over-reports (the DLL's formula, spec 4 [choice]) lets through a track
            // that does not fit before the last possible lead-out: the write then fails at the
            // device, with a code the spec does not give.
            Fit::DataBeyond => Expect::failure(),
            // The data fits, the drive's padding of a short track does not: not said.
            Fit::PaddingBeyond => Expect::any(),
        }
    }

    /// True when a track of `source` would end (with its run-out) past the last possible
    /// lead-out of the disc.
    pub fn beyond_disc(&self, c: Client, source: Source) -> bool {
        self.fit(c, (source.bytes() / cdr_sim::SECTOR_BYTES as u64) as u32) != Fit::Fits
    }

    /// Whether a track of `n` sectors written next by `c` fits before the last possible
    /// lead-out, with its run-out (and the drive's padding of a short track).
    fn fit(&self, c: Client, n: u32) -> Fit {
        if self.format(c).session.is_none() {
            return Fit::Fits;
        }
        let Some(d) = self.disc.as_ref() else { return Fit::Fits };
        let start = i64::from(d.layout.next_start(d.last()));
        let room = i64::from(d.layout.lpl) - i64::from(d.layout.run_out) - start;
        if i64::from(n) > room {
            Fit::DataBeyond
        } else if i64::from(self.on_disc(n)) > room {
            Fit::PaddingBeyond
        } else {
            Fit::Fits
        }
    }

    /// Sectors a track closed with `written` sectors occupies on the disc (spec 2, AddAudioTrack
    /// \[choice\] `short_track`): padded to the minimum by a drive that pads, else as written.
    pub fn on_disc(&self, written: u32) -> u32 {
        let cal = self.cal();
        match cal.short_track {
            ShortTrack::DrivePads => written.max(cal.min_track_sectors),
            ShortTrack::AsWritten => written,
        }
    }

    /// Spec 8, the recorder's members.
    fn predict_recorder(&self, c: Client, member: Member) -> Expect {
        let d = &self.env.drive;
        match member {
            Member::RecorderGetActiveDiscRecorder => Expect::value(Value::Str(d.unique_id())),
            // INQUIRY's fixed-width fields (MMC): vendor 8, product 16, revision 4 characters.
            Member::RecorderGetVendorId => Expect::check(Check::Trimmed(inquiry(&d.vendor, 8))),
            Member::RecorderGetProductId => Expect::check(Check::Trimmed(inquiry(&d.product, 16))),
            Member::RecorderGetProductRevision => Expect::check(Check::Trimmed(inquiry(&d.revision, 4))),
            Member::RecorderGetDeviceCanLoadMedia => Expect::value(Value::Bool(d.can_load_media)),
            Member::RecorderGetLegacyDeviceNumber => Expect::value(Value::Int(i64::from(d.legacy_device_number))),
            Member::RecorderGetVolumePathNames => {
                Expect::value(Value::List(d.volume_path_names.iter().cloned().map(Value::Str).collect()))
            }
            // Spec 2, IsRecorderSupported: TAO is MMC feature 0x002D; a drive without GET
            // CONFIGURATION has no feature pages to list (what it answers is not said).
            Member::RecorderGetSupportedFeaturePages => match d.tao_detection {
                TaoDetection::NoGetConfiguration => Expect::any(),
                _ => Expect::check(Check::TaoFeature(d.track_at_once)),
            },
            // Spec 8, ExclusiveAccessOwner: the holder's client name, empty when free.
            Member::RecorderGetExclusiveAccessOwner => match self.lock {
                None => Expect::value(Value::Str(String::new())),
                Some(Lock { name: Some(n), renamed: false, .. }) if n.is_valid() => {
                    Expect::value(Value::Str(n.as_str().unwrap_or_default().to_owned()))
                }
                Some(_) => Expect::any(),
            },
            // Spec 8, AcquireExclusiveAccess: the name validated on every call (even when this
            // object holds the lock); through the holding object it adds one; through another
            // recorder object E_IMAPI_RECORDER_LOCKED or E_ACCESSDENIED. The order of the name
            // and lock checks for another holder is not said.
            Member::RecorderAcquireExclusiveAccess(_, name) => match self.lock {
                Some(l) if l.holder != c => {
                    if name.is_valid() {
                        Expect {
                            hr: HrSet::Either(H::E_IMAPI_RECORDER_LOCKED, H::E_ACCESSDENIED),
                            value: Check::Nothing,
                        }
                    } else {
                        Expect::failure()
                    }
                }
                _ if !name.is_valid() => Expect::hr(H::E_IMAPI_RECORDER_CLIENT_NAME_IS_NOT_VALID),
                _ => Expect::ok(),
            },
            // Spec 8, ReleaseExclusiveAccess: removes one count of this object; at count 0 the
            // driver's error, E_INVALIDARG (a guess of the spec); with the lock held through the
            // other object, which error the driver gives is not said.
            Member::RecorderReleaseExclusiveAccess => match self.lock {
                Some(l) if l.holder == c => Expect::ok(),
                Some(_) => Expect::failure(),
                None => Expect::hr(H::E_INVALIDARG),
            },
            // Spec 8, EjectMedia: fails while the tray is locked (a prepared session, or one a
            // second PrepareMedia left locked) [choice]; with another client's exclusive access
            // the spec is silent.
            Member::RecorderEjectMedia => {
                let cal = self.cal();
                match self.lock {
                    _ if self.tray_locked() && self.lock.is_some_and(|l| l.holder != c) => Expect {
                        hr: HrSet::Either(cal.eject_while_locked, H::E_IMAPI_RECORDER_LOCKED),
                        value: Check::Nothing,
                    },
                    _ if self.tray_locked() => Expect::hr(cal.eject_while_locked),
                    Some(l) if l.holder != c => Expect::any(),
                    _ => Expect::ok(),
                }
            }
            Member::RecorderCloseTray => match self.lock {
                Some(l) if l.holder != c => Expect::any(),
                _ => Expect::ok(),
            },
            Member::RecorderDisableMcn | Member::RecorderEnableMcn => Expect::ok(),
            // The fuzzer draws none of these: the model makes no prediction.
            Member::RecorderInitializeDiscRecorder(_)
            | Member::RecorderGetVolumeName
            | Member::RecorderGetSupportedProfiles
            | Member::RecorderGetCurrentProfiles
            | Member::RecorderGetCurrentFeaturePages
            | Member::RecorderGetSupportedModePages => Expect::any(),
            Member::IsRecorderSupported(_)
            | Member::IsCurrentMediaSupported(_)
            | Member::GetMediaPhysicallyBlank
            | Member::GetMediaHeuristicallyBlank
            | Member::GetSupportedMediaTypes
            | Member::PrepareMedia
            | Member::AddAudioTrack(_)
            | Member::CancelAddTrack
            | Member::ReleaseMedia
            | Member::SetWriteSpeed(_, _)
            | Member::PutRecorder(_)
            | Member::GetRecorder
            | Member::PutBufferUnderrunFreeDisabled(_)
            | Member::GetBufferUnderrunFreeDisabled
            | Member::GetNumberOfExistingTracks
            | Member::GetTotalSectorsOnMedia
            | Member::GetFreeSectorsOnMedia
            | Member::GetUsedSectorsOnMedia
            | Member::PutDoNotFinalizeMedia(_)
            | Member::GetDoNotFinalizeMedia
            | Member::GetExpectedTableOfContents
            | Member::GetCurrentPhysicalMediaType
            | Member::PutClientName(_)
            | Member::GetClientName
            | Member::GetRequestedWriteSpeed
            | Member::GetRequestedRotationTypeIsPureCav
            | Member::GetCurrentWriteSpeed
            | Member::GetCurrentRotationTypeIsPureCav
            | Member::GetSupportedWriteSpeeds
            | Member::GetSupportedWriteSpeedDescriptors
            | Member::PutBurnVerificationLevel(_)
            | Member::GetBurnVerificationLevel
            | Member::Insert(_) => unreachable!("format members are predicted by `predict`"),
        }
    }

    /// Applies the effect of `member` called by `c`, given the HRESULT the backend answered
    /// (allowed by [`Model::predict`]). A successful AddAudioTrack goes through
    /// [`Model::begin_write`], [`Model::start_data`] and [`Model::end_write`] instead;
    /// CancelAddTrack records the cancel in the running write (`written`: sectors written when
    /// it was called, `None` once every sector was).
    pub fn apply(&mut self, c: Client, member: Member, hr: Hresult, written: Option<u32>) {
        let i = c.index();
        if let Member::AddAudioTrack(source) = member {
            // Spec 2, AddAudioTrack [choice]: a nested call rejected with WRITE_IN_PROGRESS
            // clears the outer call's writing flag on its way out.
            if hr == H::E_IMAPI_DF2TAO_WRITE_IN_PROGRESS
                && self.formats[i].writing_flag
                && self.cal().rejected_nested_add_clears_writing
            {
                self.formats[i].writing_flag = false;
            }
            if self.format(c).writing.is_none() && matches!(self.predict_add(c, source).hr, HrSet::Failure | HrSet::Any)
            {
                self.silent = Some("a track written past the last possible lead-out");
            }
            return;
        }
        if member == Member::PrepareMedia {
            self.prepare_media(c, hr);
            return;
        }
        if hr.is_failure() {
            return;
        }
        match member {
            Member::CancelAddTrack => {
                if let Some(w) = self.formats[i].writing.as_mut() {
                    match written {
                        Some(at) => {
                            w.cancelled_at.get_or_insert(at);
                        }
                        None => w.cancelled_late = w.cancelled_at.is_none(),
                    }
                }
            }
            Member::ReleaseMedia => {
                if self.formats[i].writing.is_some() {
                    self.silent = Some("ReleaseMedia from the Update handler of AddAudioTrack");
                }
                self.release_media(c)
            }
            Member::SetWriteSpeed(speed, cav) => {
                self.formats[i].requested_speed = speed;
                self.formats[i].requested_pure_cav = cav;
                self.formats[i].pending_speed = (speed, cav);
                self.applied_speed = speed;
            }
            Member::PutRecorder(own) => self.formats[i].recorder = own,
            Member::PutBufferUnderrunFreeDisabled(v) => self.formats[i].buffer_underrun_free_disabled = v,
            Member::PutDoNotFinalizeMedia(v) => self.formats[i].do_not_finalize = v,
            Member::PutClientName(n) => self.formats[i].client_name = Some(n),
            Member::PutBurnVerificationLevel(l) => self.formats[i].verification = l,
            Member::RecorderAcquireExclusiveAccess(_, name) => self.acquire(c, Some(name)),
            Member::RecorderReleaseExclusiveAccess => self.release_one(c),
            Member::RecorderEjectMedia => self.tray_open = true,
            Member::RecorderCloseTray => self.tray_open = false,
            Member::Insert(disc) => {
                self.disc = disc.map(|d| Disc::new(&self.env, d));
                self.tray_open = false;
            }
            // AddAudioTrack and PrepareMedia returned above; the others change nothing the model
            // keeps.
            Member::AddAudioTrack(_)
            | Member::PrepareMedia
            | Member::IsRecorderSupported(_)
            | Member::IsCurrentMediaSupported(_)
            | Member::GetMediaPhysicallyBlank
            | Member::GetMediaHeuristicallyBlank
            | Member::GetSupportedMediaTypes
            | Member::GetRecorder
            | Member::GetBufferUnderrunFreeDisabled
            | Member::GetNumberOfExistingTracks
            | Member::GetTotalSectorsOnMedia
            | Member::GetFreeSectorsOnMedia
            | Member::GetUsedSectorsOnMedia
            | Member::GetDoNotFinalizeMedia
            | Member::GetExpectedTableOfContents
            | Member::GetCurrentPhysicalMediaType
            | Member::GetClientName
            | Member::GetRequestedWriteSpeed
            | Member::GetRequestedRotationTypeIsPureCav
            | Member::GetCurrentWriteSpeed
            | Member::GetCurrentRotationTypeIsPureCav
            | Member::GetSupportedWriteSpeeds
            | Member::GetSupportedWriteSpeedDescriptors
            | Member::GetBurnVerificationLevel
            | Member::RecorderInitializeDiscRecorder(_)
            | Member::RecorderGetActiveDiscRecorder
            | Member::RecorderGetVendorId
            | Member::RecorderGetProductId
            | Member::RecorderGetProductRevision
            | Member::RecorderGetVolumeName
            | Member::RecorderGetVolumePathNames
            | Member::RecorderGetDeviceCanLoadMedia
            | Member::RecorderGetLegacyDeviceNumber
            | Member::RecorderGetSupportedProfiles
            | Member::RecorderGetCurrentProfiles
            | Member::RecorderGetSupportedFeaturePages
            | Member::RecorderGetCurrentFeaturePages
            | Member::RecorderGetSupportedModePages
            | Member::RecorderGetExclusiveAccessOwner
            | Member::RecorderDisableMcn
            | Member::RecorderEnableMcn => {}
        }
    }

    /// Spec 2, PrepareMedia: every call resets the pending speed request (and, under
    /// `requested_speed_after_prepare = "reset"`, what the Requested* getters read); an already
    /// prepared object answers MEDIA_IS_PREPARED and is un-prepared, its tray lock and lock count
    /// left held; a success caches the blank disc's figures, acquires exclusive access through
    /// the client's recorder object, locks the tray and applies the pending request.
    fn prepare_media(&mut self, c: Client, hr: Hresult) {
        let i = c.index();
        let pending = std::mem::replace(&mut self.formats[i].pending_speed, (-1, false));
        if self.cal().requested_speed_after_prepare == RequestedSpeedAfterPrepare::Reset {
            self.formats[i].requested_speed = -1;
            self.formats[i].requested_pure_cav = false;
        }
        if hr == H::E_IMAPI_DF2TAO_MEDIA_IS_PREPARED && self.formats[i].session.is_some() {
            if self.formats[i].writing.is_some() {
                self.silent = Some("a second PrepareMedia from the Update handler of AddAudioTrack");
            }
            self.formats[i].session = None;
            self.formats[i].writing_flag = false;
            return;
        }
        if hr.is_failure() {
            return;
        }
        let other = Client::ALL[1 - i];
        if self.format(other).session.is_some() {
            self.silent = Some("two prepared sessions on one drive");
        }
        let d = self.disc.as_ref().expect("PrepareMedia succeeded with a disc");
        let l = d.layout;
        // Spec 2, PrepareMedia: track count 0, Total = LPL + 150, Free = LPL - 2, TOC zeroed.
        self.formats[i].session = Some(Session {
            total: l.total(),
            free: l.free(None),
            used: l.used(None),
            tracks: 0,
            toc: TocImage::zeroed(),
        });
        let name = self.formats[i].client_name.filter(|n| n.is_valid());
        self.acquire(c, name);
        self.tray_lock = true;
        self.applied_speed = pending.0;
    }

    /// One more count on the exclusive access of `c`'s recorder object (spec 8).
    fn acquire(&mut self, c: Client, name: Option<NameArg>) {
        match self.lock.as_mut() {
            Some(l) if l.holder == c => {
                l.count += 1;
                l.renamed |= name != l.name;
            }
            Some(_) => {}
            None => self.lock = Some(Lock { holder: c, name, renamed: false, count: 1 }),
        }
    }

    /// One count less on the exclusive access of `c`'s recorder object; nothing at count 0.
    fn release_one(&mut self, c: Client) {
        if let Some(l) = self.lock.as_mut() {
            if l.holder == c {
                l.count -= 1;
                if l.count == 0 {
                    self.lock = None;
                }
            }
        }
    }

    /// Spec 2, ReleaseMedia: close the session if a track was written, finalize unless
    /// DoNotFinalizeMedia; with no track the disc stays blank \[choice\]; release the tray and
    /// one count of exclusive access through the recorder object; back to "recorder set".
    fn release_media(&mut self, c: Client) {
        let i = c.index();
        let dnf = self.formats[i].do_not_finalize;
        let keep_blank = self.cal().release_without_tracks_keeps_blank;
        // Without tracks under `release_without_tracks_keeps_blank = false`, an empty session is
        // closed, and finalized unless DoNotFinalizeMedia, as a session with tracks.
        if let Some(d) = self.disc.as_mut() {
            if !d.tracks.is_empty() || !keep_blank {
                d.session = SessionModel::Closed { finalized: !dnf };
                d.status = if dnf { DiscState::Appendable } else { DiscState::Complete };
            }
        }
        self.formats[i].session = None;
        self.formats[i].writing_flag = false;
        self.release_one(c);
        self.tray_lock = false;
    }

    /// Both format objects go away (a process exits, as the scenario runner's end does): a
    /// prepared one releases the recorder's lock and tray, and leaves the disc as the
    /// calibration says (spec 2, object states \[choice\]): the session open, or released as
    /// ReleaseMedia would.
    pub fn drop_formats(&mut self) {
        for c in Client::ALL {
            if self.format(c).session.is_none() {
                continue;
            }
            match self.cal().drop_while_prepared {
                cdr_sim::profile::DropWhilePrepared::Release => self.release_media(c),
                cdr_sim::profile::DropWhilePrepared::LeaveOpen => {
                    self.formats[c.index()].session = None;
                    self.release_one(c);
                    self.tray_lock = false;
                }
            }
        }
        let level = self.cal().default_verification_level;
        self.formats = [super::state::Format::new(level); 2];
    }

    /// AddAudioTrack passed its checks (its prediction was `S_OK`): its PREPARING event is about
    /// to fire, announcing the cached count + 1; the writing flag is not set yet. A call from
    /// the PREPARING handler of another AddAudioTrack of the same object nests inside it (spec
    /// 2: it writes a whole track there). Returns the track announced.
    pub fn begin_write(&mut self, c: Client, source: Source, seed: u64) -> Write {
        let i = c.index();
        let sectors = (source.bytes() / cdr_sim::SECTOR_BYTES as u64) as u32;
        let d = self.disc.as_ref().expect("a prepared session has a disc");
        let s = self.formats[i].session.expect("AddAudioTrack passed the prepared check");
        let w = Write {
            track_number: s.tracks + 1,
            start: d.layout.next_start(d.last()),
            sectors,
            started: false,
            seed,
            level: self.formats[i].verification,
            cancelled_at: None,
            cancelled_late: false,
        };
        let f = &mut self.formats[i];
        f.refused = false;
        if let Some(outer) = f.writing.take() {
            let slot = f.outer.iter_mut().find(|o| o.is_none()).expect("at most two nested writes");
            *slot = Some(outer);
        }
        f.writing = Some(w);
        w
    }

    /// The PREPARING handler returned: the NWA of the next track is fetched (after a nested
    /// track, the address after it) and the writing flag set (spec 2, AddAudioTrack). Returns
    /// the track as it will be written; `None` when the handler left no session to write in
    /// (the model is then silent), or when the drive refused the track ([`Model::refused`]).
    pub fn start_data(&mut self, c: Client) -> Option<Write> {
        let i = c.index();
        let mut w = self.formats[i].writing?;
        if w.started {
            return Some(w);
        }
        if self.formats[i].session.is_none() {
            self.silent.get_or_insert("the session ended in the PREPARING handler of its AddAudioTrack");
            return None;
        }
        // Spec 2, AddAudioTrack [choice] `hundredth_track_result`: the limit was checked before
        // PREPARING only; with 99 tracks on the disc (the handler's nested call wrote the 99th,
        // or a cancelled 99th track the cache leaves out) the drive refuses the next track's
        // address and the call ends there: no write, no close, the cache unchanged.
        if self.disc.as_ref().is_some_and(|d| d.tracks.len() as u32 >= MAX_TRACKS) {
            self.formats[i].writing = self.formats[i].outer.iter_mut().rev().find_map(Option::take);
            self.formats[i].writing_flag = self.formats[i].writing.is_some_and(|o| o.started);
            self.formats[i].refused = true;
            return None;
        }
        if self.fit(c, w.sectors) != Fit::Fits {
            self.silent.get_or_insert("a track that no longer fits after the PREPARING handler wrote one");
            return None;
        }
        let d = self.disc.as_ref().expect("a prepared session has a disc");
        w.start = d.layout.next_start(d.last());
        w.started = true;
        self.formats[i].writing = Some(w);
        self.formats[i].writing_flag = true;
        Some(w)
    }

    /// The answer of an AddAudioTrack whose track the drive refused after its PREPARING event
    /// ([`Model::start_data`] returned `None` without the model falling silent): the calibrated
    /// `hundredth_track_result`; `None` when no write was refused.
    pub fn take_refused(&mut self, c: Client) -> Option<Expect> {
        if !std::mem::take(&mut self.formats[c.index()].refused) {
            return None;
        }
        Some(Expect::hr(self.cal().hundredth_track_result))
    }

    /// AddAudioTrack's write is over (after its FINISHING event): predicts its HRESULT, closes
    /// the track on the disc and clears the writing flag; the cache is refreshed only when the
    /// write and the close both succeeded (spec 2, AddAudioTrack). A cancelled track is closed
    /// short after the sectors written when CancelAddTrack was called, its sectors used on the
    /// disc although the cache leaves it out. `observed` settles what the spec leaves open: a
    /// cancel that came after every sector was written counts as a cancel unless the call
    /// answered S_OK.
    pub fn end_write(&mut self, c: Client, observed: Hresult) -> Expect {
        let i = c.index();
        let cal = self.cal().clone();
        let Some(w) = self.formats[i].writing.take() else { return Expect::any() };
        self.formats[i].writing = self.formats[i].outer.iter_mut().rev().find_map(Option::take);
        self.formats[i].writing_flag = self.formats[i].writing.is_some_and(|o| o.started);
        let (expect, written, succeeded) = match (w.cancelled_at, w.cancelled_late) {
            (None, false) => (Expect::ok(), w.sectors, true),
            (None, true) => (
                Expect { hr: HrSet::Either(H::S_OK, cal.cancel_result), value: Check::Nothing },
                w.sectors,
                observed == H::S_OK,
            ),
            (Some(at), _) => (Expect::hr(cal.cancel_result), at.min(w.sectors), false),
        };
        // A track cancelled before its first sector has nothing to close: no track (a CD track
        // cannot be empty); the spec's "closed short" needs a sector written.
        let kept = succeeded || (cal.cancelled_track_kept && written > 0);
        let on_disc = self.on_disc(written);
        let Some(d) = self.disc.as_mut() else { return expect };
        if kept {
            d.tracks.push(Track {
                start: w.start,
                sectors: on_disc,
                content: Some(Content { seed: w.seed, stream_sectors: written, sectors: on_disc }),
            });
            d.status = DiscState::Appendable;
            d.session = SessionModel::Open;
        }
        if succeeded {
            let l = d.layout;
            let last = d.last().expect("a track was just written");
            let n = d.tracks.len() as u32;
            if let Some(s) = self.formats[i].session.as_mut() {
                s.toc.refresh(s.tracks, n, last, l.toc_length);
                s.free = l.free(Some(last));
                s.used = l.used(Some(last));
                s.tracks = n;
            }
        }
        expect
    }
}
