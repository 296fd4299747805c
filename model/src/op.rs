//! The calls the model understands: every member of the contract a client can make, as small
//! `Copy` values (no strings: names and discs are indices into fixed tables), so sequences of
//! them are cheap to generate, compare and shrink.

use cdr_scenario::call::{Call, EnumValue, Value};
use cdr_scenario::scenario::Trigger;
use cdr_sim::BurnVerificationLevel;

/// One of the two clients on the drive: each has its own format object and its own recorder
/// object, both on the same device (spec 8: the second client meets the first one's lock).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Client {
    /// The first client.
    A,
    /// The second client.
    B,
}

impl Client {
    /// Both clients.
    pub const ALL: [Client; 2] = [Client::A, Client::B];

    /// 0 for A, 1 for B.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// A client name argument: NULL, or an entry of [`NAMES`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NameArg {
    /// A NULL BSTR.
    Null,
    /// `NAMES[i]`.
    Name(u8),
}

impl NameArg {
    /// The string passed, `None` for NULL.
    pub fn as_str(self) -> Option<&'static str> {
        match self {
            NameArg::Null => None,
            NameArg::Name(i) => Some(NAMES[i as usize]),
        }
    }

    /// Spec 2, put_ClientName: 1 to 63 characters from A-Z a-z 0-9 space . , : ; - _.
    pub fn is_valid(self) -> bool {
        self.as_str().is_some_and(is_valid_client_name)
    }
}

/// Spec 2, put_ClientName: a valid name is 1 to 63 characters from A-Z a-z 0-9 space . , : ; - _.
pub fn is_valid_client_name(name: &str) -> bool {
    let n = name.chars().count();
    (1..=63).contains(&n) && name.chars().all(|c| c.is_ascii_alphanumeric() || " .,:;-_".contains(c))
}

/// The client names the generator draws from. Valid names of client A and of client B are
/// disjoint, so "another client" means the same thing whether a backend tells clients apart by
/// recorder object or by name; the invalid ones are shared.
pub const NAMES: &[&str] = &[
    // 0..=2: client A's valid names.
    "Imapi2Sample",
    "A",
    "Burn.Tool, v2: audio; disc-at_once",
    // 3..=5: client B's valid names.
    "OtherClient",
    "B",
    "ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ",
    // 6..: invalid for everyone.
    "",
    "ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ",
    "bad/name",
    "na\u{ef}ve",
    "tab\there",
];

/// The valid names of `client` (indices into [`NAMES`]).
pub fn valid_names(client: Client) -> [u8; 3] {
    match client {
        Client::A => [0, 1, 2],
        Client::B => [3, 4, 5],
    }
}

/// Indices of the invalid names in [`NAMES`].
pub const INVALID_NAMES: [u8; 5] = [6, 7, 8, 9, 10];

/// The audio stream given to AddAudioTrack (spec 2: raw 44.1 kHz 16-bit stereo PCM).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Source {
    /// `sectors` whole 2352-byte sectors of synthetic PCM.
    Sectors(u32),
    /// A stream of exactly this many bytes (sizes that are not whole sectors, 0, huge).
    Bytes(u64),
}

impl Source {
    /// The stream's size in bytes.
    pub fn bytes(self) -> u64 {
        match self {
            Source::Sectors(n) => u64::from(n) * cdr_sim::SECTOR_BYTES as u64,
            Source::Bytes(b) => b,
        }
    }
}

/// A call made from the Update handler, on the writing client's objects: a `[[step.during]]`
/// of the scenario the sequence is written as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct HandlerCall {
    /// The event it runs at: the scenario format's `when`, matched as the scenario runner
    /// matches it ([`Trigger::matches`]).
    pub when: Trigger,
    /// What it calls (never AddAudioTrack with a plan of its own).
    pub member: Member,
}

/// The calls made from the Update handler of one AddAudioTrack (at most two).
pub type Plan = [Option<HandlerCall>; 2];

/// The calling client's own recorder: the only recorder the model passes where the member does
/// not accept NULL (`IsRecorderSupported`, `IsCurrentMediaSupported`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct OwnRecorder;

/// Builds [`Member`] from the rows of the scenario crate's member table, each parameter typed
/// by [`model_arg!`].
macro_rules! model_members {
    ($(
        $variant:ident $( ( $($param:ident : $kind:ident),* ) )?
            => $name:literal, $interface:ident, $returns:ident, $reach:ident;
    )*) => {
        /// A member of the contract, as a client calls it: a row of the member table
        /// ([`cdr_scenario::call::table`]) with the model's own argument types, or a person
        /// changing the disc. Format members act on the client's `IDiscFormat2TrackAtOnce`,
        /// `Recorder*` members on its `IDiscRecorder2`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Member {
            $(
                #[doc = concat!("`", $name, "`.")]
                $variant $( ( $(model_arg!($kind)),* ) )?,
            )*
            /// Not a call: a person puts disc `i` of the case's media list in the tray (`None`:
            /// takes the disc out).
            Insert(Option<u8>),
        }

        impl Member {
            /// The member of the table; `None` for [`Member::Insert`], which is not a call.
            pub fn call(self) -> Option<Call> {
                match self {
                    $(Member::$variant { .. } => Some(Call::$variant),)*
                    Member::Insert(_) => None,
                }
            }

            /// The call and the arguments a scenario step (or the dispatch) passes for it;
            /// `None` for [`Member::Insert`].
            pub fn to_call(self) -> Option<(Call, Vec<Value>)> {
                match self {
                    $(
                        Member::$variant $( ( $($param),* ) )? => {
                            let args: Vec<Option<Value>> = vec![$($(model_value!($kind, $param)),*)?];
                            Some((Call::$variant, args.into_iter().flatten().collect()))
                        }
                    )*
                    Member::Insert(_) => None,
                }
            }
        }
    };
}

/// The model's type of one parameter kind of the member table.
macro_rules! model_arg {
    (Recorder) => {
        OwnRecorder
    };
    // The client's own recorder (`true`) or NULL.
    (NullableRecorder) => {
        bool
    };
    (Bool) => {
        bool
    };
    (Int) => {
        i32
    };
    (Str) => {
        NameArg
    };
    (OptStr) => {
        NameArg
    };
    (Level) => {
        BurnVerificationLevel
    };
    (Stream) => {
        Source
    };
}

/// The argument a model value passes (`None`: omitted, the member's default).
macro_rules! model_value {
    (Recorder, $v:ident) => {{
        let OwnRecorder = $v;
        None
    }};
    (NullableRecorder, $v:ident) => {
        (!$v).then_some(Value::Null)
    };
    (Bool, $v:ident) => {
        Some(Value::Bool($v))
    };
    (Int, $v:ident) => {
        Some(Value::Int($v.into()))
    };
    (Str, $v:ident) => {
        Some(name_value($v))
    };
    (OptStr, $v:ident) => {
        Some(name_value($v))
    };
    (Level, $v:ident) => {
        Some(Value::Enum(EnumValue::verification_level($v)))
    };
    // The stream is not an argument: the dispatch takes it apart.
    (Stream, $v:ident) => {{
        let _: Source = $v;
        None
    }};
}

cdr_scenario::imapi2_members!(model_members);

fn name_value(name: NameArg) -> Value {
    match name.as_str() {
        Some(s) => Value::Str(s.to_owned()),
        None => Value::Null,
    }
}

impl Member {
    /// True for calls on the recorder object rather than the format object.
    pub fn is_recorder(self) -> bool {
        self.call().is_some_and(Call::is_recorder_member)
    }
}

/// One step of a sequence: a client's call, the calls its Update handler makes (AddAudioTrack
/// only), and how many times it is repeated (bursts of tracks towards the 99-track limit).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Op {
    /// Who calls.
    pub client: Client,
    /// What.
    pub member: Member,
    /// Calls made from the Update handler while this AddAudioTrack runs.
    pub plan: Plan,
    /// How many times the call is made in a row (1 except for bursts of AddAudioTrack).
    pub repeat: u8,
}

impl Op {
    /// A plain call, made once, with no handler calls.
    pub fn call(client: Client, member: Member) -> Op {
        Op { client, member, plan: [None, None], repeat: 1 }
    }
}
