//! The rules: for each member, the HRESULT and value the spec prescribes in the model's state
//! ([`Model::predict`]), and the effect of the answer a backend gave ([`Model::apply`]). Each
//! rule cites its row of `shared/spec/imapi2-tao.md`. Where the spec is silent the prediction is
//! loose (`HrSet::Any`, `Check::Nothing`), and the effect follows the observed answer.

use cdr_sim::profile::{DiscState, NoMediaAnswer};
use cdr_sim::{BurnVerificationLevel, Hresult, PhysicalMediaType};

use super::expect::{Check, Expect, HrSet, Value};
use super::op::{Client, Member, NameArg, Source};
use super::state::{Content, Disc, FormatState, Lock, Model, Session, SessionModel, Track, Write};
use cdr_scenario::call::EnumValue;

type H = Hresult;

/// Spec 2, AddAudioTrack: at most 2^31 - 1 sectors in a stream.
const MAX_STREAM_SECTORS: u64 = (1 << 31) - 1;
/// Spec 2 / 4: at most 99 tracks.
pub const MAX_TRACKS: u32 = 99;

impl Model {
    fn cal(&self) -> &cdr_sim::Calibration {
        &self.env.drive.calibration
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
        let writing = state == FormatState::Writing;
        let prepared = f.session.is_some();
        let cal = self.cal();
        let tao = self.env.drive.track_at_once;
        match member {
            // Spec 2, IsRecorderSupported: TRUE when the drive has CD track-at-once.
            Member::IsRecorderSupported => Expect::value(Value::Bool(tao)),
            // Spec 2, IsCurrentMediaSupported: TRUE only for a blank CD-R/RW in a TAO drive;
            // no media per calibration [choice].
            Member::IsCurrentMediaSupported => match self.media() {
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
            // Spec 2, CancelAddTrack: only while a write is in progress.
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
            // then TABLE_OF_CONTENTS_EMPTY_DISC.
            Member::GetExpectedTableOfContents => {
                if writing {
                    Expect::hr(H::E_IMAPI_DF2TAO_WRITE_IN_PROGRESS)
                } else if !prepared {
                    Expect::hr(H::E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED)
                } else {
                    match self.session_tracks() {
                        Some(t) if !t.is_empty() => {
                            let d = self.disc.as_ref().expect("a prepared session has a disc");
                            let mut toc = Vec::with_capacity(8 * t.len() + 12);
                            d.layout.toc(&t, &mut toc);
                            Expect::value(Value::Bytes(toc))
                        }
                        _ => Expect::hr(H::E_IMAPI_DF2TAO_TABLE_OF_CONTENTS_EMPTY_DISC),
                    }
                }
            }
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
            // Spec 2, IBurnVerification: NONE and QUICK; FULL is not supported for TAO (the code
            // is not given); mid-write the spec is silent.
            Member::PutBurnVerificationLevel(level) => {
                if writing || level == BurnVerificationLevel::Full {
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
            _ => self.predict_recorder(c, member),
        }
    }

    /// !W then !P (spec 2 rows of put_Recorder, put_ClientName, put_DoNotFinalizeMedia).
    fn not_writing_not_prepared(&self, f: &super::state::Format) -> Option<Expect> {
        if f.writing.is_some() {
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

    /// (start, sectors) of the tracks written in the prepared session (the disc was blank).
    fn session_tracks(&self) -> Option<Vec<(i32, i32)>> {
        self.disc.as_ref().map(|d| d.tracks.iter().map(|t| (t.start, t.sectors as i32)).collect())
    }

    /// Spec 2, PrepareMedia, in its order of checks.
    fn predict_prepare(&self, c: Client) -> Expect {
        let f = self.format(c);
        let cal = self.cal();
        // R.
        if !f.recorder {
            return Expect::hr(H::E_IMAPI_DF2TAO_NO_RECORDER_SPECIFIED);
        }
        // !P.
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
        // Exclusive access: held by another client -> E_IMAPI_RECORDER_LOCKED.
        match self.lock {
            Some(l) if l.holder != c => Expect::hr(H::E_IMAPI_RECORDER_LOCKED),
            // Held by this client's recorder (AcquireExclusiveAccess), or under another name: the
            // spec does not say whether that is the same holder.
            Some(l) if l.name != f.client_name.filter(|n| n.is_valid()) || l.count > l.by_session => {
                Expect { hr: HrSet::Either(H::S_OK, H::E_IMAPI_RECORDER_LOCKED), value: Check::Nothing }
            }
            _ => Expect::ok(),
        }
    }

    /// Spec 2, AddAudioTrack, its checks in the DLL's order.
    fn predict_add(&self, c: Client, source: Source) -> Expect {
        let f = self.format(c);
        let Some(s) = f.session else { return Expect::hr(H::E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED) };
        if f.writing.is_some() {
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
        // "sectors > cached Free": the sectors the track will occupy, so a short stream padded
        // to the minimum [choice] must fit with its padding (a track cannot end past the disc).
        if u64::from(self.track_sectors((bytes / sector) as u32)) > u64::try_from(s.free).unwrap_or(0) {
            return Expect::hr(H::E_IMAPI_DF2TAO_NOT_ENOUGH_SPACE);
        }
        // A Free that over-reports (the DLL's formula, spec 4 [choice]) lets through a track that
        // does not fit before the last possible lead-out: the write then fails at the device, with
        // a code the spec does not give.
        if self.beyond_disc(c, source) {
            return Expect::failure();
        }
        Expect::ok()
    }

    /// True when a track of `source` would end (with its run-out) past the last possible
    /// lead-out of the disc.
    pub fn beyond_disc(&self, c: Client, source: Source) -> bool {
        if self.format(c).session.is_none() {
            return false;
        }
        let Some(d) = self.disc.as_ref() else { return false };
        let sectors = self.track_sectors((source.bytes() / cdr_sim::SECTOR_BYTES as u64) as u32);
        let start = d.layout.next_start(d.last());
        i64::from(start) + i64::from(sectors) + i64::from(d.layout.run_out) > i64::from(d.layout.lpl)
    }

    /// Sectors a track of `stream_sectors` occupies: the stream, padded with silence to the
    /// minimum when the calibration pads short tracks (spec 2, AddAudioTrack \[choice\]).
    pub fn track_sectors(&self, stream_sectors: u32) -> u32 {
        let cal = self.cal();
        if cal.short_track == cdr_sim::profile::ShortTrack::DrivePads {
            stream_sectors.max(cal.min_track_sectors)
        } else {
            stream_sectors
        }
    }

    /// Spec 8, the recorder's members.
    fn predict_recorder(&self, c: Client, member: Member) -> Expect {
        let d = &self.env.drive;
        match member {
            Member::RecActiveDiscRecorder => Expect::value(Value::Str(d.unique_id())),
            Member::RecVendorId => Expect::check(Check::Trimmed(d.vendor.clone())),
            Member::RecProductId => Expect::check(Check::Trimmed(d.product.clone())),
            Member::RecProductRevision => Expect::check(Check::Trimmed(d.revision.clone())),
            Member::RecDeviceCanLoadMedia => Expect::value(Value::Bool(d.can_load_media)),
            Member::RecLegacyDeviceNumber => Expect::value(Value::Int(i64::from(d.legacy_device_number))),
            Member::RecVolumePathNames => {
                Expect::value(Value::List(d.volume_path_names.iter().cloned().map(Value::Str).collect()))
            }
            // Spec 2, IsRecorderSupported: TAO is MMC feature 0x002D.
            Member::RecSupportedFeaturePages => Expect::check(Check::TaoFeature(d.track_at_once)),
            // Spec 8, ExclusiveAccessOwner: the holder's client name, empty when free.
            Member::RecExclusiveAccessOwner => match self.lock {
                None => Expect::value(Value::Str(String::new())),
                Some(Lock { name: Some(n), .. }) if n.is_valid() => {
                    Expect::value(Value::Str(n.as_str().unwrap_or_default().to_owned()))
                }
                Some(_) => Expect::any(),
            },
            // Spec 8, AcquireExclusiveAccess: counted; the name follows the ClientName rules;
            // another client gets E_IMAPI_RECORDER_LOCKED (or E_ACCESSDENIED). The spec gives no
            // meaning to `force` and no order between the name and the lock checks.
            Member::RecAcquireExclusiveAccess(_, name) => {
                let invalid = H::E_IMAPI_RECORDER_CLIENT_NAME_IS_NOT_VALID;
                match self.lock {
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
                    _ if !name.is_valid() => Expect::hr(invalid),
                    // Held by this recorder under another name, or by its prepared session: the
                    // spec does not say whether that is the same holder.
                    Some(l) if l.name != Some(name) || l.by_session > 0 => {
                        Expect { hr: HrSet::Either(H::S_OK, H::E_IMAPI_RECORDER_LOCKED), value: Check::Nothing }
                    }
                    _ => Expect::ok(),
                }
            }
            // Spec 8, ReleaseExclusiveAccess: removes one count of the holder; what a release
            // by someone else answers is not said (it must not free the holder's lock).
            Member::RecReleaseExclusiveAccess => match self.lock {
                Some(l) if l.holder == c && l.count > l.by_session => Expect::ok(),
                // Only the prepared session's acquisition: whether the recorder object may give
                // it up is the same open question as above.
                Some(l) if l.holder == c => {
                    Expect { hr: HrSet::Either(H::S_OK, H::E_IMAPI_RECORDER_LOCKED), value: Check::Nothing }
                }
                _ => Expect::any(),
            },
            // Spec 8, EjectMedia: fails while the tray is locked by a prepared session [choice];
            // with another client's exclusive access the spec is silent.
            Member::RecEjectMedia => {
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
            Member::RecCloseTray => match self.lock {
                Some(l) if l.holder != c => Expect::any(),
                _ => Expect::ok(),
            },
            Member::RecDisableMcn | Member::RecEnableMcn => Expect::ok(),
            _ => unreachable!("format members are predicted by `predict`"),
        }
    }

    /// Applies the effect of `member` called by `c`, given the HRESULT the backend answered
    /// (allowed by [`Model::predict`]). AddAudioTrack goes through
    /// [`Model::begin_write`]/[`Model::end_write`] instead; CancelAddTrack records the cancel
    /// in the running write (`written`: sectors written when it was called).
    pub fn apply(&mut self, c: Client, member: Member, hr: Hresult, written: u32) {
        if let Member::AddAudioTrack(source) = member {
            if self.format(c).writing.is_none() && self.predict_add(c, source).hr == HrSet::Failure {
                self.silent = Some("a track written past the last possible lead-out");
            }
            return;
        }
        if hr.is_failure() {
            return;
        }
        let i = c.index();
        match member {
            Member::PrepareMedia => {
                let other = Client::ALL[1 - i];
                if self.format(other).session.is_some() {
                    self.silent = Some("two prepared sessions on one drive");
                }
                let d = self.disc.as_ref().expect("PrepareMedia succeeded with a disc");
                let l = d.layout;
                // Spec 2, PrepareMedia: track count 0, Total = LPL + 150, Free = LPL - 2.
                self.formats[i].session =
                    Some(Session { total: l.total(), free: l.free(None), used: l.used(None), tracks: 0 });
                let name = self.formats[i].client_name.filter(|n| n.is_valid());
                self.acquire(c, name, true);
                self.applied_speed = self.formats[i].requested_speed;
            }
            Member::CancelAddTrack => {
                if let Some(w) = self.formats[i].writing.as_mut() {
                    w.cancelled_at.get_or_insert(written);
                }
            }
            Member::ReleaseMedia => self.release_media(c),
            Member::SetWriteSpeed(speed, cav) => {
                self.formats[i].requested_speed = speed;
                self.formats[i].requested_pure_cav = cav;
                self.applied_speed = speed;
            }
            Member::PutRecorder(own) => self.formats[i].recorder = own,
            Member::PutBufferUnderrunFreeDisabled(v) => self.formats[i].buffer_underrun_free_disabled = v,
            Member::PutDoNotFinalizeMedia(v) => self.formats[i].do_not_finalize = v,
            Member::PutClientName(n) => self.formats[i].client_name = Some(n),
            Member::PutBurnVerificationLevel(l) => self.formats[i].verification = l,
            Member::RecAcquireExclusiveAccess(_, name) => self.acquire(c, Some(name), false),
            Member::RecReleaseExclusiveAccess => self.release_one(c, false),
            Member::RecEjectMedia => self.tray_open = true,
            Member::RecCloseTray => self.tray_open = false,
            Member::Insert(disc) => {
                self.disc = disc.map(|d| Disc::new(&self.env, d));
                self.tray_open = false;
            }
            _ => {}
        }
    }

    fn acquire(&mut self, c: Client, name: Option<NameArg>, by_session: bool) {
        let s = u32::from(by_session);
        match self.lock.as_mut() {
            Some(l) if l.holder == c => {
                l.count += 1;
                l.by_session += s;
            }
            Some(_) => {}
            None => self.lock = Some(Lock { holder: c, name, count: 1, by_session: s }),
        }
    }

    fn release_one(&mut self, c: Client, by_session: bool) {
        if let Some(l) = self.lock.as_mut() {
            if l.holder == c {
                l.count -= 1;
                if by_session {
                    l.by_session = l.by_session.saturating_sub(1);
                }
                l.by_session = l.by_session.min(l.count);
                if l.count == 0 {
                    self.lock = None;
                }
            }
        }
    }

    /// Spec 2, ReleaseMedia: close the session if a track was written, finalize unless
    /// DoNotFinalizeMedia; with no track the disc stays blank \[choice\]; release the tray and
    /// exclusive access; back to "recorder set".
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
        self.release_one(c, true);
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
                    self.release_one(c, true);
                }
            }
        }
        let level = self.cal().default_verification_level;
        self.formats = [super::state::Format::new(level); 2];
    }

    /// AddAudioTrack passed its checks (its prediction was `S_OK`): the object is now writing.
    /// Returns the track being written.
    pub fn begin_write(&mut self, c: Client, source: Source, seed: u64) -> Write {
        let i = c.index();
        let stream_sectors = (source.bytes() / cdr_sim::SECTOR_BYTES as u64) as u32;
        // Spec 2, AddAudioTrack: short tracks padded with silence to 4 s [choice].
        let sectors = self.track_sectors(stream_sectors);
        let d = self.disc.as_ref().expect("a prepared session has a disc");
        let s = self.formats[i].session.expect("AddAudioTrack passed the prepared check");
        let w = Write {
            track_number: s.tracks + 1,
            start: d.layout.next_start(d.last()),
            stream_sectors,
            sectors,
            seed,
            level: self.formats[i].verification,
            cancelled_at: None,
        };
        self.formats[i].writing = Some(w);
        w
    }

    /// AddAudioTrack returns: predicts its HRESULT and closes the track. A cancelled track is
    /// closed short after the sectors written when CancelAddTrack was called, and its sectors
    /// are consumed (spec 2, CancelAddTrack \[doc + choice\]); then the cached Free, track count and
    /// TOC are refreshed.
    pub fn end_write(&mut self, c: Client) -> Expect {
        let i = c.index();
        let w = self.formats[i].writing.take().expect("end_write after begin_write");
        let cal = self.cal().clone();
        // A track cancelled before its first sector has nothing to close: no track (a CD track
        // cannot be empty); the spec's "closed short" needs a sector written.
        let (hr, sectors) = match w.cancelled_at {
            None => (H::S_OK, Some(w.sectors)),
            Some(at) => (cal.cancel_result, (cal.cancelled_track_kept && at > 0).then_some(at.min(w.sectors))),
        };
        let d = self.disc.as_mut().expect("a prepared session has a disc");
        if let Some(sectors) = sectors {
            d.tracks.push(Track {
                start: w.start,
                sectors,
                content: Some(Content { seed: w.seed, stream_sectors: w.stream_sectors, sectors }),
            });
            d.status = DiscState::Appendable;
            d.session = SessionModel::Open;
        }
        let l = d.layout;
        let last = d.last();
        let tracks = d.tracks.len() as u32;
        let s = self.formats[i].session.as_mut().expect("prepared");
        s.free = l.free(last);
        s.used = l.used(last);
        s.tracks = tracks;
        Expect::hr(hr)
    }
}
