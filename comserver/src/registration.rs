//! Registration: which registry keys make COM find this server under IMAPI2's classes, and the
//! rule that keeps a real IMAPI2 installation intact.
//!
//! The classes are registered under `Software\Classes` of one hive: `HKEY_CURRENT_USER` by
//! default (a per-user class shadows the machine's for that user, without touching it), or
//! `HKEY_LOCAL_MACHINE` where asked (Wine's COM does not read per-user classes).
//!
//! Every key this server writes carries a value named [`MARKER`] holding the DLL's path. That is
//! how unregistering knows what is its own: it deletes a key only when the marker names this
//! DLL, so a machine's real IMAPI2 registration is never removed, and nothing is "restored"
//! because nothing was overwritten: registering refuses a key that exists without the marker
//! (see [`decide`]).
//!
//! ```
//! use cdr_comserver::registration::{plan, Scope};
//! let keys = plan(r"C:\sim\cdr_comserver.dll");
//! assert_eq!(Scope::User.classes_root(), r"Software\Classes");
//! assert!(keys.iter().any(|k| k.path == r"CLSID\{2735412E-7F64-5B0F-8F00-5D77AFBE261E}\InprocServer32"
//!     && k.values.contains(&(String::new(), r"C:\sim\cdr_comserver.dll".to_string()))));
//! ```

/// Where the classes are registered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// `HKEY_CURRENT_USER\Software\Classes`: for this user only, shadowing the machine's classes.
    User,
    /// `HKEY_LOCAL_MACHINE\Software\Classes`: for every user (needs administrator rights on
    /// Windows; what Wine's COM reads).
    Machine,
}

impl Scope {
    /// The path of the classes key under the scope's hive.
    pub fn classes_root(self) -> &'static str {
        r"Software\Classes"
    }

    /// The hive's name, for messages.
    pub fn hive(self) -> &'static str {
        match self {
            Scope::User => "HKEY_CURRENT_USER",
            Scope::Machine => "HKEY_LOCAL_MACHINE",
        }
    }

    /// The scope `DllRegisterServer` uses: the value of [`SCOPE_VARIABLE`] (`user` or
    /// `machine`), else [`Scope::User`].
    pub fn from_setting(value: Option<&str>) -> Result<Scope, String> {
        match value.map(str::trim) {
            None | Some("") | Some("user") => Ok(Scope::User),
            Some("machine") => Ok(Scope::Machine),
            Some(other) => Err(format!("{SCOPE_VARIABLE}={other:?}: expected \"user\" or \"machine\"")),
        }
    }
}

/// The environment variable that chooses the scope of `DllRegisterServer` and
/// `DllUnregisterServer` (`regsvr32` cannot pass arguments): `user` (default) or `machine`.
pub const SCOPE_VARIABLE: &str = "CDR_COMSERVER_SCOPE";

/// The value name that marks a key as written by this server; its data is the DLL's path.
pub const MARKER: &str = "cdr-comserver";

/// One of IMAPI2's classes this server provides.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Class {
    /// The class name (`MsftDiscMaster2`).
    pub name: &'static str,
    /// Its CLSID in registry form.
    pub clsid: &'static str,
    /// Its ProgID (`IMAPI2.MsftDiscMaster2`).
    pub prog_id: &'static str,
}

/// The classes: the master, the recorder and the track-at-once format.
pub const CLASSES: [Class; 3] = [
    Class {
        name: "MsftDiscMaster2",
        clsid: "{2735412E-7F64-5B0F-8F00-5D77AFBE261E}",
        prog_id: "IMAPI2.MsftDiscMaster2",
    },
    Class {
        name: "MsftDiscRecorder2",
        clsid: "{2735412D-7F64-5B0F-8F00-5D77AFBE261E}",
        prog_id: "IMAPI2.MsftDiscRecorder2",
    },
    Class {
        name: "MsftDiscFormat2TrackAtOnce",
        clsid: "{27354129-7F64-5B0F-8F00-5D77AFBE261E}",
        prog_id: "IMAPI2.MsftDiscFormat2TrackAtOnce",
    },
];

/// The threading model: the objects are free-threaded and synchronise internally, as IMAPI2's
/// own classes (registered `Both`).
pub const THREADING_MODEL: &str = "Both";

/// One key to create, relative to the classes root, with its values (`""` is the default value).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Key {
    /// Path under `Software\Classes`.
    pub path: String,
    /// (value name, string data); every key has the [`MARKER`] value.
    pub values: Vec<(String, String)>,
}

/// The keys that register every class for the DLL at `dll_path`, parents before children.
pub fn plan(dll_path: &str) -> Vec<Key> {
    let key = |path: String, values: &[(&str, &str)]| {
        let mut values: Vec<(String, String)> = values.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect();
        values.push((MARKER.to_string(), dll_path.to_string()));
        Key { path, values }
    };
    let mut keys = Vec::new();
    for class in CLASSES {
        let clsid = format!(r"CLSID\{}", class.clsid);
        keys.push(key(clsid.clone(), &[("", class.name)]));
        keys.push(key(format!(r"{clsid}\InprocServer32"), &[("", dll_path), ("ThreadingModel", THREADING_MODEL)]));
        keys.push(key(format!(r"{clsid}\ProgID"), &[("", class.prog_id)]));
        keys.push(key(class.prog_id.to_string(), &[("", class.name)]));
        keys.push(key(format!(r"{}\CLSID", class.prog_id), &[("", class.clsid)]));
    }
    keys
}

/// The keys whose whole tree unregistering deletes (each only if it is this DLL's, see
/// [`decide`]): one CLSID key and one ProgID key per class.
pub fn roots() -> Vec<String> {
    CLASSES.iter().flat_map(|c| [format!(r"CLSID\{}", c.clsid), c.prog_id.to_string()]).collect()
}

/// What to do with a key, given the [`MARKER`] it has now (`None`: no marker, `Some(path)`:
/// the DLL that wrote it) and whether it exists at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// The key is absent or this DLL's: write it / delete it.
    Ours,
    /// The key belongs to someone else (a real IMAPI2, or another copy of this server): leave it.
    Foreign,
}

/// Whether a key that `exists`, with `marker`, belongs to the DLL at `dll_path`. Paths compare
/// without regard to ASCII case, as Windows paths do.
pub fn decide(exists: bool, marker: Option<&str>, dll_path: &str) -> Decision {
    match (exists, marker) {
        (false, _) => Decision::Ours,
        (true, Some(m)) if m.eq_ignore_ascii_case(dll_path) => Decision::Ours,
        _ => Decision::Foreign,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plan_registers_three_classes_with_progids_and_marks_every_key() {
        let keys = plan(r"C:\x\s.dll");
        assert_eq!(keys.len(), 15);
        assert!(keys.iter().all(|k| k.values.contains(&(MARKER.into(), r"C:\x\s.dll".into()))));
        let inproc: Vec<_> = keys.iter().filter(|k| k.path.ends_with("InprocServer32")).collect();
        assert_eq!(inproc.len(), 3);
        assert!(inproc.iter().all(|k| k.values.contains(&("ThreadingModel".into(), "Both".into()))));
        let progid = keys.iter().find(|k| k.path == r"IMAPI2.MsftDiscFormat2TrackAtOnce\CLSID").unwrap();
        assert_eq!(progid.values[0], (String::new(), "{27354129-7F64-5B0F-8F00-5D77AFBE261E}".into()));
        // Parents come before their children.
        for (i, k) in keys.iter().enumerate() {
            if let Some((parent, _)) = k.path.rsplit_once('\\') {
                if keys.iter().any(|p| p.path == parent) {
                    assert!(keys[..i].iter().any(|p| p.path == parent), "{} before its parent", k.path);
                }
            }
        }
    }

    #[test]
    fn roots_are_the_class_and_progid_keys() {
        let roots = roots();
        assert_eq!(roots.len(), 6);
        assert!(roots.contains(&r"CLSID\{2735412D-7F64-5B0F-8F00-5D77AFBE261E}".to_string()));
        assert!(roots.contains(&"IMAPI2.MsftDiscMaster2".to_string()));
    }

    #[test]
    fn only_absent_or_own_keys_are_touched() {
        let dll = r"C:\Sim\cdr_comserver.dll";
        assert_eq!(decide(false, None, dll), Decision::Ours);
        assert_eq!(decide(true, Some(r"c:\sim\CDR_COMSERVER.dll"), dll), Decision::Ours);
        // The system's IMAPI2: its keys have no marker.
        assert_eq!(decide(true, None, dll), Decision::Foreign);
        // Another copy of the server.
        assert_eq!(decide(true, Some(r"D:\other\cdr_comserver.dll"), dll), Decision::Foreign);
    }

    #[test]
    fn the_scope_comes_from_the_variable() {
        assert_eq!(Scope::from_setting(None), Ok(Scope::User));
        assert_eq!(Scope::from_setting(Some("machine")), Ok(Scope::Machine));
        assert!(Scope::from_setting(Some("everyone")).unwrap_err().contains("CDR_COMSERVER_SCOPE"));
    }
}
