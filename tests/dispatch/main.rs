//! `call::invoke` reaches every member of the contract: on a prepared simulator each call is
//! decoded and answered by the backend (never the dispatch's own E_INVALIDARG), and every value
//! returned has the type `Call::returns` declares.

use std::sync::Arc;

use cdr_scenario::call::{invoke, Call, Param, Target, Value, ValueType};
use cdr_sim::profile::{drive_by_name, media_by_name};
use cdr_sim::source::SyntheticPcm;
use cdr_sim::{AudioStream, Backend, DiscRecorder2, Hresult, SimBackend};

fn args_for(call: Call, unique_id: &str) -> Vec<Value> {
    call.params()
        .iter()
        .filter_map(|p| match p {
            Param::Recorder { .. } => None,
            Param::Value(ValueType::Bool) => Some(Value::Bool(false)),
            Param::Value(ValueType::Int) => Some(Value::Int(-1)),
            Param::Value(ValueType::Str) if call == Call::RecorderInitializeDiscRecorder => {
                Some(Value::Str(unique_id.to_string()))
            }
            Param::Value(ValueType::Str | ValueType::OptStr) => Some(Value::Str("Dispatch".into())),
            Param::Value(ValueType::Enum(k)) => Some(Value::Enum(k.member(0).unwrap())),
            Param::Value(other) => panic!("{call}: no sample argument for {other:?}"),
        })
        .collect()
}

#[test]
fn every_call_reaches_the_backend_with_the_declared_types() {
    let backend = SimBackend::new(drive_by_name("default").unwrap(), media_by_name("cdr80"));
    let id = backend.disc_master().unwrap().item(0).unwrap();
    let recorder: Arc<dyn DiscRecorder2> = backend.create_recorder().unwrap();
    recorder.initialize_disc_recorder(&id).unwrap();
    let format = backend.create_format().unwrap();
    let recorders = [("main".to_string(), Arc::clone(&recorder))];
    let lookup = |name: &str| recorders.iter().find(|(n, _)| n == name).map(|(_, r)| Arc::clone(r));
    let target = Target { format: format.as_ref(), recorder: &recorder, lookup: &lookup };
    for setup in [Call::PutRecorder, Call::PutClientName, Call::PrepareMedia] {
        let (hr, _) = invoke(&target, setup, &args_for(setup, &id), None);
        assert_eq!(hr, Hresult::S_OK, "{setup}");
    }
    let mut answered = 0;
    for &call in Call::ALL {
        // Each would end the prepared session the other calls run in (a second PrepareMedia
        // un-prepares the object: spec 2).
        if matches!(
            call,
            Call::PrepareMedia | Call::ReleaseMedia | Call::RecorderEjectMedia | Call::RecorderReleaseExclusiveAccess
        ) {
            continue;
        }
        let args = args_for(call, &id);
        assert!(call.check_args(Some(&args)).is_ok() || args.is_empty(), "{call}");
        let mut stream = SyntheticPcm::sectors(1, 300);
        let stream: Option<&mut dyn AudioStream> = (call == Call::AddAudioTrack).then_some(&mut stream);
        let (hr, value) = invoke(&target, call, &args, stream);
        assert_ne!(hr, Hresult::E_INVALIDARG, "{call} was not decoded");
        match (call.returns(), &value) {
            (Some(ty), Some(v)) => {
                ty.coerce(v).unwrap_or_else(|e| panic!("{call} returned {v}: {e}"));
                answered += 1;
            }
            (Some(_), None) => assert!(hr.is_failure(), "{call} succeeded without a value"),
            (None, Some(v)) => panic!("{call} returned a value {v} it does not declare"),
            (None, None) => {}
        }
    }
    assert!(answered >= 30, "only {answered} calls returned a value");
    let (hr, _) = invoke(&target, Call::ReleaseMedia, &[], None);
    assert_eq!(hr, Hresult::S_OK);
}

#[test]
fn bad_arguments_and_unknown_clients_answer_e_invalidarg_without_a_backend_call() {
    let backend = SimBackend::new(drive_by_name("default").unwrap(), media_by_name("cdr80"));
    let recorder: Arc<dyn DiscRecorder2> = backend.create_recorder().unwrap();
    let format = backend.create_format().unwrap();
    let lookup = |_: &str| None;
    let target = Target { format: format.as_ref(), recorder: &recorder, lookup: &lookup };
    let (hr, _) = invoke(&target, Call::SetWriteSpeed, &[Value::Str("fast".into()), Value::Bool(false)], None);
    assert_eq!(hr, Hresult::E_INVALIDARG);
    let (hr, _) = invoke(&target, Call::PutRecorder, &[Value::Str("nobody".into())], None);
    assert_eq!(hr, Hresult::E_INVALIDARG);
    let (hr, _) = invoke(&target, Call::AddAudioTrack, &[], None);
    assert_eq!(hr, Hresult::E_POINTER);
}
