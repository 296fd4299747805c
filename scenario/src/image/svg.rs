//! A picture of the disc layout, to scale: lead-in, first pregap, tracks, run-out and pauses,
//! lead-out, and the free area up to the last possible lead-out.

use std::fmt::Write as _;

use cdr_sim::{DiscReadBack, MediaReadBack, Msf};

use super::marks::{mark_of, TrackMark};

/// Sectors drawn for a lead-out: 90 s, the Red Book's lead-out of a first session.
pub const LEAD_OUT_SECTORS: i32 = 6_750;

const WIDTH: f64 = 960.0;
const LEFT: f64 = 20.0;
const RIGHT: f64 = 940.0;
const BAR_Y: f64 = 44.0;
const BAR_H: f64 = 40.0;
const DETAIL_Y: f64 = 128.0;
const HEIGHT: f64 = 240.0;
const HEIGHT_ONE_BAR: f64 = 150.0;

/// Fill colours by kind of area.
const LEAD_IN: &str = "#6b7280";
const PREGAP: &str = "#c7d2fe";
const TRACKS: [&str; 2] = ["#2563eb", "#1e40af"];
const RUN_OUT: &str = "#f59e0b";
const LEAD_OUT: &str = "#374151";
const FREE: &str = "#f9fafb";
const DAMAGED: &str = "#dc2626";
const CANCELLED: &str = "#9333ea";

/// The disc in `disc` as an SVG document (a horizontal bar, LBA to x linearly, from the ATIP
/// lead-in start to 90 s past the last possible lead-out), with a minute scale and a legend.
/// Each area has a `<title>` with its exact LBAs. The output depends only on the input.
pub fn disc_svg(disc: &DiscReadBack) -> String {
    disc_svg_marked(disc, &[])
}

/// [`disc_svg`], with damaged tracks (from the disc) and the tracks numbered in `cancelled`
/// drawn in their own colours, named in their `<title>` and in the legend.
pub fn disc_svg_marked(disc: &DiscReadBack, cancelled: &[u32]) -> String {
    let mut svg = Svg::default();
    match &disc.media {
        None => {
            svg.text(WIDTH / 2.0, 64.0, "middle", "no disc in the tray");
        }
        Some(media) => draw_media(&mut svg, media, cancelled),
    }
    svg.finish()
}

fn draw_media(svg: &mut Svg, media: &MediaReadBack, cancelled: &[u32]) {
    let lpl = media.last_possible_lead_out;
    let lead_in = media.atip.map_or(-cdr_sim::msf::LBA_OFFSET, |a| a.lead_in.to_lba());
    svg.text(
        LEFT,
        18.0,
        "start",
        &format!(
            "{} {}, {} track(s); last possible lead-out {} (LBA {lpl})",
            media.media_type,
            state_name(media.status),
            media.tracks.len(),
            Msf::from_lba(lpl)
        ),
    );
    let whole = Scale { from: lead_in, to: lpl + LEAD_OUT_SECTORS, y: BAR_Y };
    draw_bar(svg, media, &whole, cancelled);
    svg.marker(&whole, lpl);
    svg.minutes(&whole);

    // The written part again, magnified, when it is small enough to need it.
    // The start of the lead-out is shown, not all 90 s of it.
    let used_end = media
        .lead_out
        .map(|l| l + (l / 12).max(150))
        .or_else(|| media.tracks.last().map(|t| t.start + t.sectors as i32 + 150));
    if let Some(end) = used_end.filter(|&e| e < lpl / 2) {
        svg.height = HEIGHT;
        let detail = Scale { from: -cdr_sim::msf::LBA_OFFSET, to: end, y: DETAIL_Y };
        svg.text(
            LEFT,
            DETAIL_Y - 6.0,
            "start",
            &format!(
                "written area magnified: {} to {} ({}x)",
                Msf::from_lba(detail.from),
                Msf::from_lba(end),
                (whole.to - whole.from) / (end - detail.from).max(1)
            ),
        );
        draw_bar(svg, media, &detail, cancelled);
        svg.seconds(&detail);
    }
    let marks: Vec<TrackMark> = [TrackMark::Damaged, TrackMark::Cancelled]
        .into_iter()
        .filter(|m| media.tracks.iter().any(|t| mark_of(media, cancelled, t.number) == Some(*m)))
        .collect();
    svg.legend(&marks);
}

/// The areas of `media` on one bar.
fn draw_bar(svg: &mut Svg, media: &MediaReadBack, scale: &Scale, cancelled: &[u32]) {
    let lpl = media.last_possible_lead_out;
    let lead_in = media.atip.map_or(-cdr_sim::msf::LBA_OFFSET, |a| a.lead_in.to_lba());
    // Everything up to the last possible lead-out is free unless drawn over.
    let (free_label, free_what) =
        if media.next_writable_address.is_some() { ("free", "free area") } else { ("unused", "unused (disc closed)") };
    let free_from = match (media.lead_out, media.next_writable_address) {
        (_, Some(nwa)) => nwa,
        (Some(l), None) => l + LEAD_OUT_SECTORS,
        (None, None) => media.tracks.last().map_or(0, |t| t.start + t.sectors as i32),
    }
    .min(lpl);
    svg.area(scale, free_from, lpl, FREE, free_label, free_what);
    if lead_in < -cdr_sim::msf::LBA_OFFSET {
        svg.area(scale, lead_in, -cdr_sim::msf::LBA_OFFSET, LEAD_IN, "lead-in", "lead-in");
    }
    if !media.tracks.is_empty() {
        svg.area(scale, -cdr_sim::msf::LBA_OFFSET, 0, PREGAP, "", "pregap of track 1");
    }
    for (i, t) in media.tracks.iter().enumerate() {
        let end = t.start + t.sectors as i32;
        if i > 0 && t.pregap > 0 {
            svg.area(
                scale,
                t.start - t.pregap as i32,
                t.start,
                PREGAP,
                "",
                &format!("pause before track {}", t.number),
            );
        }
        match mark_of(media, cancelled, t.number) {
            Some(mark) => svg.area(
                scale,
                t.start,
                end,
                mark_fill(mark),
                &t.number.to_string(),
                &format!("track {} ({}: {})", t.number, mark.name(), mark.meaning()),
            ),
            None => svg.area(scale, t.start, end, TRACKS[i % 2], &t.number.to_string(), &format!("track {}", t.number)),
        }
        let next = match media.tracks.get(i + 1) {
            Some(n) if n.session == t.session => Some(n.start - n.pregap as i32),
            Some(_) => None,
            None => media.lead_out,
        };
        if let Some(next) = next.filter(|&n| n > end) {
            svg.area(scale, end, next, RUN_OUT, "", &format!("run-out after track {}", t.number));
        }
    }
    if let Some(l) = media.lead_out {
        svg.area(scale, l, l + LEAD_OUT_SECTORS, LEAD_OUT, "lead-out", "lead-out");
    }
}

fn mark_fill(mark: TrackMark) -> &'static str {
    match mark {
        TrackMark::Damaged => DAMAGED,
        TrackMark::Cancelled => CANCELLED,
    }
}

/// `blank`, `appendable`, `complete`.
fn state_name(state: cdr_sim::DiscState) -> &'static str {
    match state {
        cdr_sim::DiscState::Blank => "blank",
        cdr_sim::DiscState::Appendable => "appendable",
        cdr_sim::DiscState::Complete => "complete",
    }
}

/// LBA to x.
struct Scale {
    from: i32,
    to: i32,
    /// Top of the bar.
    y: f64,
}

impl Scale {
    fn x(&self, lba: i32) -> f64 {
        let span = f64::from((self.to - self.from).max(1));
        LEFT + (RIGHT - LEFT) * f64::from(lba.clamp(self.from, self.to) - self.from) / span
    }
}

struct Svg {
    body: String,
    height: f64,
}

impl Default for Svg {
    fn default() -> Self {
        Svg { body: String::new(), height: HEIGHT_ONE_BAR }
    }
}

impl Svg {
    fn area(&mut self, scale: &Scale, from: i32, to: i32, fill: &str, label: &str, what: &str) {
        if to <= from {
            return;
        }
        let (x0, x1) = (scale.x(from), scale.x(to));
        let title = format!("{what}: LBA {from} to {} ({} sectors)", to - 1, to - from);
        let _ = writeln!(
            self.body,
            r##"<rect x="{x0:.2}" y="{:.2}" width="{:.2}" height="{BAR_H:.2}" fill="{fill}" stroke="#111827" stroke-width="0.3"><title>{title}</title></rect>"##,
            scale.y,
            (x1 - x0).max(0.5)
        );
        // A label only where it fits.
        if !label.is_empty() && x1 - x0 >= 7.0 * label.len() as f64 + 4.0 {
            let color = if [FREE, PREGAP, RUN_OUT].contains(&fill) { "#111827" } else { "#ffffff" };
            let _ = writeln!(
                self.body,
                r#"<text x="{:.2}" y="{:.2}" text-anchor="middle" fill="{color}">{label}</text>"#,
                (x0 + x1) / 2.0,
                scale.y + BAR_H / 2.0 + 4.0
            );
        }
    }

    fn marker(&mut self, scale: &Scale, lpl: i32) {
        let x = scale.x(lpl);
        let _ = writeln!(
            self.body,
            r##"<line x1="{x:.2}" y1="{:.2}" x2="{x:.2}" y2="{:.2}" stroke="#dc2626" stroke-width="1.5"><title>last possible lead-out: LBA {lpl}</title></line>"##,
            scale.y - 8.0,
            scale.y + BAR_H + 8.0
        );
    }

    /// Ticks every 10 minutes of absolute time (00:00:00 is LBA -150).
    fn minutes(&mut self, scale: &Scale) {
        self.ticks(scale, 10 * 60 * 75);
    }

    /// Ticks at a round number of seconds, about ten of them.
    fn seconds(&mut self, scale: &Scale) {
        let span_s = (scale.to - scale.from) / 75;
        let step_s = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600].into_iter().find(|s| span_s / s <= 12).unwrap_or(1200);
        self.ticks(scale, step_s * 75);
    }

    /// Ticks every `every` frames of absolute time, labelled M:SS.
    fn ticks(&mut self, scale: &Scale, every: i32) {
        let mut frames = 0;
        while frames - cdr_sim::msf::LBA_OFFSET <= scale.to {
            let lba = frames - cdr_sim::msf::LBA_OFFSET;
            if lba >= scale.from {
                let x = scale.x(lba);
                let y = scale.y + BAR_H;
                let _ = writeln!(
                    self.body,
                    r##"<line x1="{x:.2}" y1="{y:.2}" x2="{x:.2}" y2="{:.2}" stroke="#111827" stroke-width="0.6"/>"##,
                    y + 5.0
                );
                self.text(x, y + 17.0, "middle", &format!("{}:{:02}", frames / 4500, frames / 75 % 60));
            }
            frames += every;
        }
    }

    /// The legend: every kind of area, and the track marks in `marks` (only those drawn).
    fn legend(&mut self, marks: &[TrackMark]) {
        let mut items = vec![
            (LEAD_IN, "lead-in"),
            (PREGAP, "pregap / pause"),
            (TRACKS[0], "track"),
            (RUN_OUT, "run-out"),
            (LEAD_OUT, "lead-out"),
            (FREE, "free / unused"),
        ];
        for m in marks {
            items.push((mark_fill(*m), if *m == TrackMark::Damaged { "damaged track" } else { "cancelled track" }));
        }
        let mut x = LEFT;
        let y = self.height - 10.0;
        for (fill, name) in items {
            let _ = writeln!(
                self.body,
                r##"<rect x="{x:.2}" y="{:.2}" width="12" height="12" fill="{fill}" stroke="#111827" stroke-width="0.3"/>"##,
                y - 10.0
            );
            self.text(x + 16.0, y, "start", name);
            x += 24.0 + 7.0 * name.len() as f64;
        }
        let _ = writeln!(
            self.body,
            r##"<line x1="{x:.2}" y1="{:.2}" x2="{x:.2}" y2="{:.2}" stroke="#dc2626" stroke-width="1.5"/>"##,
            y - 11.0,
            y + 3.0
        );
        self.text(x + 6.0, y, "start", "last possible lead-out");
    }

    fn text(&mut self, x: f64, y: f64, anchor: &str, s: &str) {
        let _ = writeln!(self.body, r#"<text x="{x:.2}" y="{y:.2}" text-anchor="{anchor}">{}</text>"#, escape(s));
    }

    fn finish(self) -> String {
        format!(
            concat!(
                r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" "#,
                r#"font-family="sans-serif" font-size="11">"#,
                "\n<title>disc layout</title>\n{body}</svg>\n"
            ),
            w = WIDTH,
            h = self.height,
            body = self.body
        )
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use cdr_sim::{Atip, DiscState, PhysicalMediaType, SessionState, TrackReadBack};

    fn disc(tracks: &[(i32, u32)], lead_out: Option<i32>) -> DiscReadBack {
        DiscReadBack {
            media: Some(MediaReadBack {
                media_type: PhysicalMediaType::CdR,
                atip: Some(Atip { lead_in: "97:24:01".parse().unwrap(), lead_out: "79:59:72".parse().unwrap() }),
                status: DiscState::Complete,
                last_session_state: SessionState::Complete,
                sessions: 1,
                first_track: 1,
                tracks: tracks
                    .iter()
                    .enumerate()
                    .map(|(i, &(start, sectors))| TrackReadBack {
                        number: i as u32 + 1,
                        session: 1,
                        start,
                        sectors,
                        pregap: 150,
                        data_bytes: u64::from(sectors) * 2352,
                        digest: None,
                        damaged: false,
                    })
                    .collect(),
                lead_out,
                last_possible_lead_out: 359_847,
                next_writable_address: None,
                free_blocks: 0,
            }),
        }
    }

    #[test]
    fn every_area_is_drawn_with_its_exact_lbas() {
        let svg = disc_svg(&disc(&[(0, 22_500), (22_652, 300)], Some(22_954)));
        for needle in [
            "lead-in: LBA -11849 to -151",
            "pregap of track 1: LBA -150 to -1",
            "track 1: LBA 0 to 22499 (22500 sectors)",
            "run-out after track 1: LBA 22500 to 22501",
            "pause before track 2: LBA 22502 to 22651 (150 sectors)",
            "track 2: LBA 22652 to 22951",
            "run-out after track 2: LBA 22952 to 22953",
            "lead-out: LBA 22954 to 29703",
            "unused (disc closed): LBA 29704 to 359846",
            "written area magnified",
            "last possible lead-out: LBA 359847",
            ">70:00<",
        ] {
            assert!(svg.contains(needle), "`{needle}` missing from\n{svg}");
        }
        assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>\n"));
    }

    #[test]
    fn deterministic_and_to_scale() {
        let d = disc(&[(0, 179_924)], Some(179_926));
        assert_eq!(disc_svg(&d), disc_svg(&d));
        // Half of the span from the lead-in to LPL + lead-out is about half the bar.
        let s = Scale { from: -11_849, to: 359_847 + LEAD_OUT_SECTORS, y: BAR_Y };
        let mid = (-11_849 + 359_847 + LEAD_OUT_SECTORS) / 2;
        assert!((s.x(mid) - (LEFT + RIGHT) / 2.0).abs() < 0.01);
    }

    #[test]
    fn damaged_and_cancelled_tracks_have_their_colour_title_and_legend() {
        let plain = disc_svg(&disc(&[(0, 3000), (3152, 300)], Some(3454)));
        assert!(!plain.contains("damaged") && !plain.contains("cancelled"), "{plain}");
        let mut d = disc(&[(0, 3000), (3152, 300)], Some(3454));
        d.media.as_mut().unwrap().tracks[0].damaged = true;
        let svg = disc_svg_marked(&d, &[2]);
        assert!(
            svg.contains(&format!(r##"fill="{DAMAGED}" stroke="#111827" stroke-width="0.3"><title>track 1 (damaged"##)),
            "{svg}"
        );
        assert!(
            svg.contains(&format!(
                r##"fill="{CANCELLED}" stroke="#111827" stroke-width="0.3"><title>track 2 (cancelled"##
            )),
            "{svg}"
        );
        assert!(svg.contains(">damaged track</text>") && svg.contains(">cancelled track</text>"), "{svg}");
    }

    #[test]
    fn an_empty_tray_is_a_picture_too() {
        let svg = disc_svg(&DiscReadBack { media: None });
        assert!(svg.contains("no disc in the tray"));
    }
}
