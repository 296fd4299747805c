//! The human report says where each `during` call fired: a trigger fires at the first Update
//! event that matches, at the drive's cadence, so the event can be well past what was asked.

#[test]
fn the_human_report_shows_the_event_that_fired_each_during_call() {
    let path = super::fixture("burn/worked-example.toml");
    let out = crate::support::harness().arg("run").arg(&path).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{stdout}");
    // The default drive writes a CD-R at 48x (3600 sectors a second of virtual time) with a
    // WRITING event every 500 ms: after 1800, 3600, ... sectors, each reading LastWrittenLba =
    // StartLba + sectors - 1 (spec 3). The first at or past 50 % of 22500 sectors is after 12600
    // sectors: 12599 (55 %).
    assert!(
        stdout.contains(
            "step 5, during 1: get_FreeSectorsOnMedia (when WRITING 50%) fired at WRITING, track 1, sector 12599 of 22500 (55 %)"
        ),
        "{stdout}"
    );
}
