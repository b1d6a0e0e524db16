//! Timing for the TUI on a large message, through [`App`] on a
//! `TestBackend` (no terminal needed): time from loading the message to the
//! first frame (the "resolving…" screen), to the frame with the report
//! (the offline analysis included), and the redraw after each keypress in
//! every pane (the key's update plus a full draw). Targets: first frame
//! under 300 ms, redraw under 16 ms.
//!
//! `cargo run --release --example tui_bench -- MESSAGE KEYS.zone [WxH]`
//! (run by `bench/tui.sh`).

use std::time::{Duration, Instant};

use dkimscope::diagnose::analyse_with;
use dkimscope::dns::{Layered, ZoneKeys};
use dkimscope::tui::action::{Action, Pane};
use dkimscope::tui::app::{App, Effect};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const AT: u64 = 1_764_000_000;

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn draw(t: &mut Terminal<TestBackend>, app: &App) -> Duration {
    let start = Instant::now();
    t.draw(|f| f.render_widget(app, f.area())).expect("draw");
    start.elapsed()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(path), Some(zone)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: tui_bench MESSAGE KEYS.zone [WxH]");
        std::process::exit(2);
    };
    let (w, h) = args
        .get(3)
        .and_then(|s| s.split_once('x'))
        .and_then(|(w, h)| Some((w.parse().ok()?, h.parse().ok()?)))
        .unwrap_or((160u16, 48u16));
    let bytes = std::fs::read(path).expect("message");
    let keys = Layered::offline(ZoneKeys::from_files(&[zone.into()]).expect("keys file"));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let mut term = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    let mut app = App::new(true, true);
    println!(
        "message: {path} ({:.1} MB), terminal {w}x{h}",
        bytes.len() as f64 / 1e6
    );

    let start = Instant::now();
    let effect = app.update(Action::Load {
        label: path.clone(),
        bytes,
    });
    draw(&mut term, &app);
    let first = start.elapsed();
    let Some(Effect::Analyse { id, message, .. }) = effect else {
        eprintln!("the load asked for no analysis");
        std::process::exit(1);
    };
    let report = rt.block_on(analyse_with(
        message,
        &keys,
        dkimscope::diagnose::Clock {
            now: AT,
            real: false,
        },
    ));
    app.update(Action::Analysed {
        id,
        report: Box::new(report),
    });
    draw(&mut term, &app);
    let full = start.elapsed();
    println!(
        "first frame (resolving…)        {:>10}   target < 300 ms  {}",
        ms(first),
        if first < Duration::from_millis(300) {
            "ok"
        } else {
            "OVER"
        }
    );
    println!("frame with the report (analysed) {:>10}", ms(full));

    // Each keypress as the action its key maps to.
    let keys_per_pane: [fn() -> Action; 9] = [
        || Action::Down,
        || Action::Up,
        || Action::PageDown,
        || Action::Bottom,
        || Action::Top,
        || Action::ToggleCanonical,
        || Action::ToggleCanonical,
        || Action::Explain,
        || Action::Back,
    ];
    let mut worst_all = Duration::ZERO;
    for pane in Pane::ALL {
        let mut times = Vec::new();
        let start = Instant::now();
        app.update(Action::Focus(pane));
        draw(&mut term, &app);
        times.push(start.elapsed());
        for _ in 0..3 {
            for key in &keys_per_pane {
                let start = Instant::now();
                app.update(key());
                draw(&mut term, &app);
                times.push(start.elapsed());
            }
            for _ in 0..10 {
                let start = Instant::now();
                app.update(Action::Down);
                draw(&mut term, &app);
                times.push(start.elapsed());
            }
        }
        times.sort();
        let median = times[times.len() / 2];
        let worst = *times.last().unwrap_or(&Duration::ZERO);
        worst_all = worst_all.max(worst);
        println!(
            "redraw {:<10} {:>3} keys: median {:>9}, worst {:>9}   target < 16 ms  {}",
            pane.title(),
            times.len(),
            ms(median),
            ms(worst),
            if worst < Duration::from_millis(16) {
                "ok"
            } else {
                "OVER"
            }
        );
    }
    println!("worst redraw over all panes: {}", ms(worst_all));
}
