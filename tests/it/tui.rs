//! The TUI as a user sees it: the app driven by actions alone, rendered into
//! a TestBackend and snapshotted per pane and size; tiny terminals never
//! panic; hostile bytes never reach a cell raw.
#![allow(clippy::unwrap_used, reason = "setup code: a panic fails the test")]

use std::path::PathBuf;

use dkimscope::diagnose::analyse_with;
use dkimscope::dns::{Layered, ZoneKeys};
use dkimscope::tui::action::{Action, Pane};
use dkimscope::tui::app::{App, Effect};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const AT: u64 = 1_763_985_600; // 2025-11-24T12:00:00Z, as sample-headers/README.md

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Feed an action; carry out an analysis it asks for, offline, as the
/// event loop would.
async fn act(app: &mut App, action: Action) {
    act_with(app, action, "sample-headers/keys.zone", AT).await;
}

/// [`act`] with another keys file and check time.
async fn act_with(app: &mut App, action: Action, zone: &str, at: u64) {
    let mut next = Some(action);
    while let Some(a) = next.take() {
        if let Some(Effect::Analyse { id, message, .. }) = app.update(a) {
            // Labelled relative, so snapshots do not depend on where the
            // repository is checked out.
            let text = std::fs::read_to_string(root().join(zone)).unwrap();
            let zone = ZoneKeys::parse(zone, &text);
            let report = analyse_with(
                message,
                &Layered::offline(zone),
                dkimscope::diagnose::Clock {
                    now: at,
                    real: false,
                },
            )
            .await;
            next = Some(Action::Analysed {
                id,
                report: Box::new(report),
            });
        }
    }
}

async fn app_with(sample: &str) -> App {
    app_from(
        &format!("sample-headers/{sample}"),
        "sample-headers/keys.zone",
        AT,
    )
    .await
}

/// A message from anywhere in the repository, checked with `zone` at `at`.
async fn app_from(path: &str, zone: &str, at: u64) -> App {
    let mut app = App::new(true, false);
    let bytes = std::fs::read(root().join(path)).unwrap();
    let label = path.rsplit('/').next().unwrap().to_string();
    act_with(&mut app, Action::Load { label, bytes }, zone, at).await;
    app
}

fn screen(app: &App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| f.render_widget(app, f.area())).unwrap();
    if w == 0 {
        return String::new(); // TestBackend cannot print a zero-width buffer
    }
    mask_timings(&t.backend().to_string())
}

/// The key lookup's time changes from run to run: write it as `– ms`,
/// keeping the line as wide as it was.
fn mask_timings(screen: &str) -> String {
    const TIME: &str = "time: ";
    let lines: Vec<String> = screen
        .split('\n')
        .map(|line| {
            let Some(at) = line.find(TIME).map(|i| i + TIME.len()) else {
                return line.to_string();
            };
            let digits = line[at..].bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 || !line[at + digits..].starts_with(" ms") {
                return line.to_string();
            }
            let rest = &line[at + digits + " ms".len()..];
            let pad = " ".repeat(digits - 1);
            format!("{}– ms{pad}{rest}", &line[..at])
        })
        .collect();
    lines.join("\n")
}

#[tokio::test]
async fn every_pane_at_two_sizes() {
    for (sample, tag) in [
        ("footer-appended.eml", "footer"),
        ("m365-dangling-cname.eml", "m365"),
        ("bounce-dsn-footer.eml", "bounce"),
    ] {
        let mut app = app_with(sample).await;
        for pane in Pane::ALL {
            act(&mut app, Action::Focus(pane)).await;
            if pane == Pane::Trace {
                // The trace opens on the step that failed.
                let step = &app.selected().unwrap().check.steps[app.step_row];
                assert_eq!(step.status.as_str(), "fail");
            }
            for (w, h) in [(100, 30), (80, 24)] {
                insta::assert_snapshot!(
                    format!("{tag}_{}_{w}x{h}", pane.title().to_lowercase()),
                    screen(&app, w, h)
                );
            }
        }
    }
}

/// Every pane of every sample says its counts in words: "1 second",
/// "2 sets", never "1 seconds", "set(s)" or "first first".
#[tokio::test]
async fn no_pane_says_1_seconds_or_set_s() {
    let mut names: Vec<String> = std::fs::read_dir(root().join("sample-headers"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".eml"))
        .collect();
    names.sort();
    assert!(names.len() >= 16);
    let bad = |text: &str| {
        text.contains("(s)")
            || text.contains("first first")
            || [
                "1 seconds",
                "1 sets",
                "1 hops",
                "1 strings",
                "1 seals",
                "1 lines",
            ]
            .iter()
            .any(|w| text.contains(w))
    };
    for name in &names {
        let mut app = app_with(name).await;
        for pane in Pane::ALL {
            act(&mut app, Action::Focus(pane)).await;
            let text = screen(&app, 160, 60);
            assert!(!bad(&text), "{name}, {}:\n{text}", pane.title());
        }
    }
}

#[tokio::test]
async fn tiny_and_empty_terminals_never_panic() {
    let mut app = app_with("multi-signature-esp.eml").await;
    for pane in Pane::ALL {
        act(&mut app, Action::Focus(pane)).await;
        for (w, h) in [(0, 0), (1, 1), (2, 1), (10, 3), (30, 5)] {
            screen(&app, w, h);
        }
    }
    act(&mut app, Action::Help).await;
    screen(&app, 1, 1);
    let empty = App::new(true, false);
    screen(&empty, 0, 0);
    screen(&empty, 1, 1);
}

#[tokio::test]
async fn empty_screen_invites_a_paste_and_a_paste_loads() {
    let mut app = App::new(true, false);
    let s = screen(&app, 100, 30);
    assert!(s.contains("paste a message"), "{s}");
    assert!(s.contains("press p for the clipboard"), "{s}");
    let bytes = std::fs::read(root().join("sample-headers/revoked-key.eml")).unwrap();
    act(
        &mut app,
        Action::Load {
            label: "pasted message".into(),
            bytes,
        },
    )
    .await;
    let s = screen(&app, 100, 30);
    assert!(s.contains("key-revoked"), "{s}");
}

#[tokio::test]
async fn the_trace_opens_on_the_failing_step_with_the_footer_in_view() {
    let mut app = app_with("footer-appended.eml").await;
    act(&mut app, Action::Focus(Pane::Trace)).await;
    let s = screen(&app, 80, 24);
    assert!(s.contains("FAIL body"), "{s}");
    assert!(s.contains("signed part ends"), "{s}");
    assert!(s.contains("This e-mail and any attachments"), "{s}");
    // Digests are compared without a meaningless character position.
    act(&mut app, Action::Into).await;
    act(&mut app, Action::Top).await;
    let s = screen(&app, 80, 24);
    assert!(s.contains("computed bh="), "{s}");
    assert!(!s.contains("first difference at character"), "{s}");
    assert!(s.contains("↓"), "more below is shown: {s}");
    assert!(s.contains("␍␊") || s.contains("differ"), "{s}");
    // Raw view toggles.
    act(&mut app, Action::ToggleCanonical).await;
    assert!(screen(&app, 80, 24).contains("c: show canonical"));
}

#[tokio::test]
async fn signature_tags_explain_and_copy() {
    let mut app = app_with("pass-rsa-sha256-relaxed.eml").await;
    act(&mut app, Action::Focus(Pane::Signature)).await;
    let tags: Vec<String> = app
        .selected_sig()
        .unwrap()
        .tags
        .tags
        .iter()
        .map(|t| t.name.clone())
        .collect();
    let bh = tags.iter().position(|t| t == "bh").unwrap();
    for _ in 0..bh {
        act(&mut app, Action::Down).await;
    }
    match app.update(Action::Copy) {
        Some(Effect::Copy(text)) => assert!(text.starts_with("bh="), "{text}"),
        other => panic!("expected a copy, got {other:?}"),
    }
    act(&mut app, Action::Explain).await;
    assert!(app.overlay.is_some());
    act(&mut app, Action::Back).await;
    assert!(app.overlay.is_none());
    act(&mut app, Action::Focus(Pane::Key)).await;
    match app.update(Action::Copy) {
        Some(Effect::Copy(text)) => assert!(text.starts_with("dig +noall +answer TXT"), "{text}"),
        other => panic!("expected the dig command, got {other:?}"),
    }
}

#[tokio::test]
async fn header_search_and_stale_results() {
    let mut app = app_with("subject-spam-tagged.eml").await;
    act(&mut app, Action::Search).await;
    for c in "subject".chars() {
        act(&mut app, Action::PromptChar(c)).await;
    }
    act(&mut app, Action::PromptSubmit).await;
    assert_eq!(app.focus, Pane::Headers);
    let m = app.message().unwrap();
    let found = String::from_utf8_lossy(m.field_bytes(&m.headers[app.header_row])).to_lowercase();
    assert!(found.contains("subject"), "{found}");
    let first = app.header_row;
    act(&mut app, Action::SearchNext).await;
    assert!(app.header_row > first, "n moves to the next match");
    // A result for an older request is dropped.
    let old = app.report().cloned().unwrap();
    let bytes = std::fs::read(root().join("sample-headers/unsigned.eml")).unwrap();
    assert!(matches!(
        app.update(Action::Load {
            label: "u".into(),
            bytes
        }),
        Some(Effect::Analyse { .. })
    ));
    app.update(Action::Analysed {
        id: 1,
        report: Box::new(old),
    });
    assert!(app.report().is_none(), "a stale analysis must not land");
}

#[tokio::test]
async fn hostile_bytes_are_shown_not_sent() {
    let evil = b"From: a@example.com\r\nSubject: \x1b[2J\x1b]0;x\x07 \xe2\x80\xae hi \x9b\r\nDKIM-Signature: v=1; a=rsa-sha256; d=ex\x1bample.com; s=s; h=from; bh=AAAA; b=AAAA\r\n\r\nbody\x1b[31m\r\n".to_vec();
    let mut app = App::new(true, false);
    act(
        &mut app,
        Action::Load {
            label: "evil\x1b".into(),
            bytes: evil,
        },
    )
    .await;
    for pane in Pane::ALL {
        act(&mut app, Action::Focus(pane)).await;
        for _ in 0..4 {
            act(&mut app, Action::Down).await;
            let s = screen(&app, 100, 30);
            assert!(
                !s.contains('\x1b')
                    && !s.contains('\x07')
                    && !s.contains('\u{202e}')
                    && !s.contains('\u{9b}'),
                "{s}"
            );
        }
    }
}

#[tokio::test]
async fn a_click_on_a_tab_focuses_its_pane() {
    use ratatui::crossterm::event::{Event, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
    let mut app = app_with("footer-appended.eml").await;
    app.update(Action::Resize {
        width: 100,
        height: 30,
    });
    let row = dkimscope::tui::view::tab_row(&app);
    let s = screen(&app, 100, 30);
    let line = s.lines().nth(row as usize).unwrap();
    let byte = line.find("Hops").unwrap();
    let col = line[..byte].chars().count() as u16 - 1; // the screen string starts with a quote
    let click = |row, column| {
        Event::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    let action = dkimscope::tui::event::translate(&app, click(row, col)).expect("a tab was hit");
    act(&mut app, action).await;
    assert_eq!(app.focus, Pane::Hops);
    assert!(dkimscope::tui::event::translate(&app, click(row + 5, col)).is_none());
}

#[tokio::test]
async fn one_copy_of_the_message_and_its_canonical_body() {
    let app = app_with("footer-appended.eml").await;
    let loaded = app.loaded.as_ref().unwrap();
    let report = loaded.report.as_ref().unwrap();
    assert!(std::sync::Arc::ptr_eq(&loaded.message, &report.message));
    // The Trace pane draws the body from a view made when the report landed.
    let canon = report.signatures[0].check.sig.body_canon;
    let view = app.body_view(canon).expect("a view for the signature's c=");
    assert!(!view.canonical.is_empty());
    assert!(view.raw_len <= loaded.message.body_bytes().unwrap().len());
}

#[tokio::test]
async fn r_asks_for_the_keys_anew_and_a_load_does_not() {
    let mut app = app_with("footer-appended.eml").await;
    let Some(Effect::Analyse { fresh, .. }) = app.update(Action::Rerun) else {
        panic!("r asks for an analysis");
    };
    assert!(
        fresh,
        "r reads the keys files again and asks live DNS again"
    );
    assert!(
        app.status
            .as_deref()
            .is_some_and(|s| s.contains("--keys files")),
        "{:?}",
        app.status
    );
    let bytes = std::fs::read(root().join("sample-headers/unsigned.eml")).unwrap();
    let Some(Effect::Analyse { fresh, .. }) = app.update(Action::Load {
        label: "u".into(),
        bytes,
    }) else {
        panic!("a load asks for an analysis");
    };
    assert!(!fresh, "a new message uses the answers already had");
}

/// Send the terminal size the app is drawn at, as the event loop does.
async fn sized(app: &mut App, w: u16, h: u16) {
    act(
        app,
        Action::Resize {
            width: w,
            height: h,
        },
    )
    .await;
}

#[tokio::test]
async fn scrolled_states_and_focus_in_each_part() {
    let mut app = app_with("footer-appended.eml").await;
    for (w, h) in [(80, 24), (120, 35)] {
        sized(&mut app, w, h).await;
        for pane in [
            Pane::Overview,
            Pane::Trace,
            Pane::Auth,
            Pane::M365,
            Pane::Signature,
        ] {
            act(&mut app, Action::Focus(pane)).await;
            act(&mut app, Action::Into).await;
            let name = pane.title().to_lowercase();
            act(&mut app, Action::Top).await;
            let top = screen(&app, w, h);
            insta::assert_snapshot!(format!("scroll_{name}_top_{w}x{h}"), top);
            act(&mut app, Action::Down).await;
            act(&mut app, Action::Down).await;
            insta::assert_snapshot!(format!("scroll_{name}_middle_{w}x{h}"), screen(&app, w, h));
            act(&mut app, Action::Bottom).await;
            let end = screen(&app, w, h);
            insta::assert_snapshot!(format!("scroll_{name}_end_{w}x{h}"), end);
            // Back to the list: the list has the keys again.
            act(&mut app, Action::Back).await;
            assert_eq!(app.part, dkimscope::tui::action::Part::List);
        }
    }
}

#[tokio::test]
async fn the_footer_is_reached_by_scrolling_the_evidence_at_80x24() {
    let mut app = app_with("footer-appended.eml").await;
    sized(&mut app, 80, 24).await;
    act(&mut app, Action::Focus(Pane::Trace)).await;
    act(&mut app, Action::Into).await;
    act(&mut app, Action::Top).await;
    let top = screen(&app, 80, 24);
    assert!(!top.contains("This e-mail and any attachments"), "{top}");
    assert!(
        top.contains("▶ evidence"),
        "the focused part is marked: {top}"
    );
    act(&mut app, Action::PageDown).await;
    act(&mut app, Action::PageDown).await;
    let s = screen(&app, 80, 24);
    assert!(s.contains("This e-mail and any attachments"), "{s}");
    assert!(s.contains("/23 ↑"), "position and more-above shown: {s}");
    // The step list did not move.
    assert!(s.contains("FAIL body"), "{s}");
    assert_eq!(
        app.selected().unwrap().check.steps[app.step_row]
            .step
            .as_str(),
        "body"
    );
}

#[tokio::test]
async fn popups_close_with_q_and_esc_and_help_scrolls() {
    let mut app = app_with("footer-appended.eml").await;
    sized(&mut app, 80, 24).await;
    act(&mut app, Action::Help).await;
    let top = screen(&app, 80, 24);
    insta::assert_snapshot!("help_top_80x24", top);
    assert!(top.contains("↓"), "more below is shown: {top}");
    act(&mut app, Action::Bottom).await;
    let end = screen(&app, 80, 24);
    insta::assert_snapshot!("help_end_80x24", end);
    assert!(end.contains("type into the prompt"), "{end}");
    // q closes the popup and does not quit.
    assert!(app.update(Action::Quit).is_none());
    assert!(app.overlay.is_none());
    insta::assert_snapshot!("help_closed_80x24", screen(&app, 80, 24));
    act(&mut app, Action::Explain).await;
    assert!(app.overlay.is_some());
    insta::assert_snapshot!("explain_open_80x24", screen(&app, 80, 24));
    assert!(app.update(Action::Back).is_none());
    assert!(app.overlay.is_none());
    // With nothing open, q quits a message read from a file.
    assert!(matches!(app.update(Action::Quit), Some(Effect::Quit)));
}

#[tokio::test]
async fn quitting_a_pasted_message_asks_once() {
    let mut app = App::new(true, false);
    let bytes = std::fs::read(root().join("sample-headers/revoked-key.eml")).unwrap();
    act(
        &mut app,
        Action::Load {
            label: "pasted message".into(),
            bytes,
        },
    )
    .await;
    assert!(app.update(Action::Quit).is_none());
    assert!(screen(&app, 100, 30).contains("quit and lose the pasted message"));
    assert!(matches!(app.update(Action::Quit), Some(Effect::Quit)));
    // Anything in between disarms it; Q never asks.
    assert!(app.update(Action::Quit).is_none());
    app.update(Action::Down);
    assert!(app.update(Action::Quit).is_none());
    assert!(matches!(app.update(Action::QuitNow), Some(Effect::Quit)));
}

#[tokio::test]
async fn a_long_file_name_keeps_the_verdict_visible() {
    let mut app = App::new(true, false);
    let bytes = std::fs::read(root().join("sample-headers/footer-appended.eml")).unwrap();
    let label = format!(
        "/very/long/path/{}/footer-appended.eml",
        "deeper".repeat(12)
    );
    act(&mut app, Action::Load { label, bytes }).await;
    let s = screen(&app, 80, 24);
    let title = s.lines().next().unwrap();
    assert!(title.contains("dkim=fail"), "{title}");
    assert!(
        title.contains('…') && title.contains("appended.eml"),
        "{title}"
    );
}

#[tokio::test]
async fn the_headers_step_marks_the_tagged_subject() {
    let mut app = app_with("subject-spam-tagged.eml").await;
    sized(&mut app, 80, 24).await;
    act(&mut app, Action::Focus(Pane::Trace)).await;
    let step = &app.selected().unwrap().check.steps[app.step_row];
    assert_eq!(step.step.as_str(), "headers", "opens on the failing step");
    let s = screen(&app, 80, 24);
    insta::assert_snapshot!("subject_tagged_trace_80x24", s.clone());
    assert!(s.contains("changed in transit"), "{s}");
}

#[tokio::test]
async fn search_counts_matches_and_goes_both_ways() {
    let mut app = app_with("footer-appended.eml").await;
    act(&mut app, Action::Search).await;
    for c in "example".chars() {
        act(&mut app, Action::PromptChar(c)).await;
    }
    act(&mut app, Action::PromptSubmit).await;
    let hits = app.search_hits();
    assert!(hits.len() > 2, "{hits:?}");
    assert_eq!(
        app.status.as_deref().map(|s| s.starts_with("match 1/")),
        Some(true)
    );
    act(&mut app, Action::SearchNext).await;
    assert_eq!(app.header_row, hits[1]);
    act(&mut app, Action::SearchPrev).await;
    assert_eq!(app.header_row, hits[0]);
    act(&mut app, Action::SearchPrev).await;
    assert_eq!(app.header_row, *hits.last().unwrap(), "wraps around");
    assert!(screen(&app, 100, 30).contains(&format!("match {}/{}", hits.len(), hits.len())));
}

/// Types `text` into the open prompt.
fn type_in(app: &mut App, text: &str) {
    for c in text.chars() {
        assert!(app.update(Action::PromptChar(c)).is_none());
    }
}

#[tokio::test]
async fn w_saves_the_pasted_message_and_its_answers_and_the_command_replays_them() {
    let mut app = App::new(true, false);
    app.update(Action::SavePrompt);
    assert!(app.prompt.is_none(), "nothing loaded, nothing to save");
    assert!(screen(&app, 100, 30).contains("nothing to save: load a message first"));

    // Pasted, with a bare LF line end as terminals deliver it.
    let pasted = std::fs::read(root().join("sample-headers/footer-appended.eml")).unwrap();
    act(
        &mut app,
        Action::Load {
            label: "pasted message".into(),
            bytes: pasted.clone(),
        },
    )
    .await;
    app.update(Action::SavePrompt);
    type_in(&mut app, "cases/footer");
    insta::assert_snapshot!("save_prompt_80x24", screen(&app, 80, 24));

    // The confirmation, for a folder named in words.
    let Some(Effect::SaveCase(named)) = app.update(Action::PromptSubmit) else {
        panic!("Enter asks to save the case");
    };
    assert_eq!(
        named.command,
        "dkimscope check --keys cases/footer/answers.zone --offline --at 2025-11-24T12:00:00Z cases/footer/message.eml"
    );
    app.update(Action::CaseSaved {
        dir: named.dir.clone(),
        command: named.command.clone(),
        answers: named.lookups.len(),
    });
    insta::assert_snapshot!("case_saved_80x24", screen(&app, 80, 24));
    app.update(Action::Back);

    // Saved for real, in a folder made for it.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("case one");
    app.update(Action::SavePrompt);
    type_in(&mut app, &dir.display().to_string());
    let Some(Effect::SaveCase(case)) = app.update(Action::PromptSubmit) else {
        panic!("Enter asks to save the case");
    };
    dkimscope::tui::save_case(&case, None, 1_772_359_200).unwrap();
    assert_eq!(std::fs::read(dir.join("message.eml")).unwrap(), pasted);
    let answers = std::fs::read_to_string(dir.join("answers.zone")).unwrap();
    assert!(
        answers.contains("$RECORDED 2026-03-01T10:00:00Z"),
        "{answers}"
    );
    assert!(
        answers.contains("s2025._domainkey.example.com.\t3600\tIN\tTXT\t\"v=DKIM1; k=rsa; \" \"p="),
        "{answers}"
    );
    // A folder already holding a case is not overwritten.
    let again = dkimscope::tui::save_case(&case, None, 1_772_359_200).unwrap_err();
    assert!(again.contains("already holds a saved case"), "{again}");

    // The command shown replays the check: same verdict, and it says the
    // answers are from another day than --at.
    assert!(
        case.command.contains("'"),
        "a path with a space is quoted: {}",
        case.command
    );
    let script = case
        .command
        .replacen("dkimscope", env!("CARGO_BIN_EXE_dkimscope"), 1)
        .replacen(" check ", " check --json ", 1);
    let out = std::process::Command::new("sh")
        .args(["-c", &script])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let r = app.report().unwrap();
    assert_eq!(
        v["signatures"][0]["diagnosis"],
        r.signatures[0].check.diagnosis.as_str()
    );
    assert_eq!(v["summary"], r.headline());
    assert_eq!(v["keys_recorded"], "2026-03-01T10:00:00Z");
}

/// The signature pane marks every tag the report found a problem on, from
/// its diagnoses and warnings, and writes t= and x= as dates with their age.
#[tokio::test]
async fn signature_tags_carry_their_problems_and_dates() {
    const DEFECTS: &str = "tests/fixtures/defects";
    const AT_DEFECTS: u64 = 1_764_000_000;
    let cases: [(&str, &str, &str, &str); 7] = [
        (
            "sample-headers/expired-signature.eml",
            "x",
            "✗",
            "sig-expired",
        ),
        ("sample-headers/rsa-sha1-legacy.eml", "a", "✗", "sig-sha1"),
        (
            "sample-headers/weak-key-1024.eml",
            "s",
            "⚠",
            "weak-key-1024",
        ),
        (
            "sample-headers/mailing-list-body-length.eml",
            "l",
            "⚠",
            "body-length-limit",
        ),
        (
            "tests/fixtures/defects/future-timestamp.eml",
            "t",
            "⚠",
            "future-timestamp",
        ),
        (
            "tests/fixtures/defects/key-too-short.eml",
            "s",
            "✗",
            "key-too-short",
        ),
        (
            "tests/fixtures/defects/sig-from-not-signed.eml",
            "h",
            "✗",
            "sig-from-not-signed",
        ),
    ];
    for (path, tag, mark, code) in cases {
        let (zone, at) = if path.starts_with(DEFECTS) {
            ("tests/fixtures/defects/keys.zone", AT_DEFECTS)
        } else {
            ("sample-headers/keys.zone", AT)
        };
        let mut app = app_from(path, zone, at).await;
        sized(&mut app, 120, 35).await;
        act(&mut app, Action::Focus(Pane::Signature)).await;
        let s = screen(&app, 120, 35);
        let row = s
            .lines()
            .find(|l| l.starts_with(&format!("\"{mark}{tag:<5}")))
            .unwrap_or_else(|| panic!("{path}: no {mark} on {tag}=\n{s}"));
        assert!(row.contains(code), "{path}: {row}");
        // Only tags with a problem are marked.
        let marked = s
            .lines()
            .filter(|l| l.starts_with("\"✗") || l.starts_with("\"⚠"));
        assert!(marked.count() <= 3, "{path}:\n{s}");
    }
    let app = app_with("expired-signature.eml").await;
    let mut app = app;
    act(&mut app, Action::Focus(Pane::Signature)).await;
    let s = screen(&app, 120, 35);
    assert!(s.contains(" t    2025-11-13 "), "{s}");
    assert!(s.contains("days ago"), "{s}");
    let future = app_from(
        "tests/fixtures/defects/future-timestamp.eml",
        "tests/fixtures/defects/keys.zone",
        1_764_000_000,
    )
    .await;
    let mut future = future;
    act(&mut future, Action::Focus(Pane::Signature)).await;
    assert!(screen(&future, 120, 35).contains("2025-11-25 16:00Z, in 24 hours"));
}

/// A meaning longer than its column wraps under the column, nothing cut;
/// the list scrolls to keep the selected tag in view.
#[tokio::test]
async fn signature_meanings_wrap_and_the_list_scrolls() {
    let mut app = app_with("footer-appended.eml").await;
    sized(&mut app, 80, 24).await;
    act(&mut app, Action::Focus(Pane::Signature)).await;
    let s = screen(&app, 80, 24);
    assert!(!s.contains("normali\""), "cut mid-word: {s}");
    assert!(s.contains("simple/simple."), "{s}");
    assert!(s.contains("tag 1/9"), "{s}");
    act(&mut app, Action::Bottom).await;
    let s = screen(&app, 80, 24);
    assert!(s.contains("tag 9/9"), "{s}");
    assert!(s.contains("\" b    "), "the last tag is in view: {s}");
}

/// `e` on every row of every pane, on samples and real Microsoft 365 mail:
/// each row names a topic `explain` knows (or, for a header field with no
/// text of its own, falls back to the diagnosis), and no popup says
/// "No explanation".
#[tokio::test]
async fn every_row_of_every_pane_explains_a_known_topic() {
    const REAL: &str = "tests/fixtures/real/keys.zone";
    let messages = [
        (
            "sample-headers/footer-appended.eml",
            "sample-headers/keys.zone",
            AT,
        ),
        (
            "sample-headers/m365-dangling-cname.eml",
            "sample-headers/keys.zone",
            AT,
        ),
        (
            "sample-headers/rsa-sha1-legacy.eml",
            "sample-headers/keys.zone",
            AT,
        ),
        (
            "sample-headers/mailing-list-body-length.eml",
            "sample-headers/keys.zone",
            AT,
        ),
        (
            "sample-headers/unsigned.eml",
            "sample-headers/keys.zone",
            AT,
        ),
        ("tests/fixtures/real/m365-delivery.eml", REAL, AT),
        ("tests/fixtures/real/mimekit-o365-issue358.eml", REAL, AT),
        (
            "tests/fixtures/real/kumomta-fastmail-arc-gmail-2025.eml",
            REAL,
            AT,
        ),
    ];
    let mut asked = std::collections::BTreeSet::new();
    for (path, zone, at) in messages {
        let mut app = app_from(path, zone, at).await;
        sized(&mut app, 80, 24).await;
        for pane in Pane::ALL {
            act(&mut app, Action::Focus(pane)).await;
            if !pane.has_list() {
                act(&mut app, Action::Into).await;
            }
            act(&mut app, Action::Top).await;
            for step in 0..400 {
                let before = (app.sig, app.tag_row, app.step_row, app.header_row, app.text);
                let row = app.row_topic();
                if let Some(t) = &row {
                    asked.insert(t.clone());
                }
                let known = row
                    .as_deref()
                    .is_some_and(|t| dkimscope::explain::lookup(t).is_some());
                // Only a header field may lack a text of its own.
                assert!(
                    known || pane == Pane::Headers,
                    "{path} {pane:?} row {step}: {row:?}"
                );
                act(&mut app, Action::Explain).await;
                if let Some(dkimscope::tui::app::Overlay::Explain { title, text }) = &app.overlay {
                    assert!(
                        !text.contains("No explanation"),
                        "{path} {pane:?} row {step}: {title}"
                    );
                } else {
                    panic!("{path} {pane:?} row {step}: e opened nothing");
                }
                if app.overlay.is_some() {
                    act(&mut app, Action::Back).await;
                }
                app.update(Action::Down);
                let after = (app.sig, app.tag_row, app.step_row, app.header_row, app.text);
                if after == before {
                    break;
                }
            }
        }
    }
    for t in [
        "m365:SCL",
        "m365:SFV",
        "m365:BCL",
        "received",
        "dmarc",
        "rsa-sha256",
        "sig-sha1",
    ] {
        assert!(asked.contains(t), "{t} never asked: {asked:?}");
    }
}

/// The search text is marked where it stands in the visible headers
/// (reversed and underlined), beside the `match 1/N` count.
#[tokio::test]
async fn search_matches_are_highlighted_in_place() {
    use ratatui::style::Modifier;
    let mut app = app_with("footer-appended.eml").await;
    act(&mut app, Action::Search).await;
    for c in "EXAMPLE".chars() {
        act(&mut app, Action::PromptChar(c)).await;
    }
    act(&mut app, Action::PromptSubmit).await;
    act(&mut app, Action::SearchNext).await;
    let mut t = Terminal::new(TestBackend::new(100, 30)).unwrap();
    t.draw(|f| f.render_widget(&app, f.area())).unwrap();
    let buf = t.backend().buffer().clone();
    let text = t.backend().to_string();
    assert!(text.contains("match 2/"), "{text}");
    let (mut marked, mut words) = (0, 0);
    for y in 0..30 {
        let row: String = (0..100).map(|x| buf[(x, y)].symbol().to_string()).collect();
        for (at, _) in row.to_lowercase().match_indices("example") {
            let x = row[..at].chars().count() as u16;
            words += 1;
            let all = (x..x + 7).all(|x| buf[(x, y)].modifier.contains(Modifier::UNDERLINED));
            let none = (x..x + 7).all(|x| !buf[(x, y)].modifier.contains(Modifier::UNDERLINED));
            assert!(all || none, "half marked at row {y}: {row}");
            marked += usize::from(all);
        }
    }
    // Every shown field that contains it is marked; the status line's
    // quote of the search is not.
    assert!(marked >= 3 && marked < words, "{marked}/{words}");
    // Nothing else is underlined.
    let underlined = (0..30)
        .flat_map(|y| (0..100).map(move |x| (x, y)))
        .filter(|p| buf[*p].modifier.contains(Modifier::UNDERLINED))
        .count();
    assert_eq!(underlined, marked * 7);
}

/// At the last header field the field itself is on screen, above the
/// legend, and nothing is said to be below.
#[tokio::test]
async fn the_last_header_field_is_in_view() {
    let mut app = app_with("mailing-list-body-length.eml").await;
    sized(&mut app, 80, 24).await;
    act(&mut app, Action::Focus(Pane::Headers)).await;
    act(&mut app, Action::Bottom).await;
    let s = screen(&app, 80, 24);
    let n = app.message().unwrap().headers.len();
    assert!(s.contains(&format!("field {n}/{n}")), "{s}");
    assert!(s.contains(&format!(" {n} Content-Type")), "{s}");
    let legend = s.lines().find(|l| l.contains("field ")).unwrap();
    assert!(!legend.contains('↓'), "{legend}");
}

/// Every pane of a real Microsoft 365 header set at both sizes, scrolled
/// to its top, a few rows down and its end, in the part the keys act on
/// (the list of a two-part pane, else the text).
#[tokio::test]
async fn real_m365_every_pane_scrolled_at_two_sizes() {
    let mut app = app_from(
        "tests/fixtures/real/m365-delivery.eml",
        "tests/fixtures/real/keys.zone",
        AT,
    )
    .await;
    for (w, h) in [(80, 24), (120, 35)] {
        sized(&mut app, w, h).await;
        for pane in Pane::ALL {
            act(&mut app, Action::Focus(pane)).await;
            let name = pane.title().to_lowercase();
            act(&mut app, Action::Top).await;
            insta::assert_snapshot!(format!("real_m365_{name}_top_{w}x{h}"), screen(&app, w, h));
            for _ in 0..4 {
                act(&mut app, Action::Down).await;
            }
            insta::assert_snapshot!(
                format!("real_m365_{name}_middle_{w}x{h}"),
                screen(&app, w, h)
            );
            act(&mut app, Action::Bottom).await;
            let end = screen(&app, w, h);
            // A one-part pane at its end has nothing more below (a list's
            // detail below it may).
            if !(pane.has_list() && pane.has_detail()) {
                assert!(
                    !end.contains('↓'),
                    "{name} at its end says more is below: {end}"
                );
            }
            insta::assert_snapshot!(format!("real_m365_{name}_end_{w}x{h}"), end);
        }
    }
}

/// The popups over a real Microsoft 365 message: the explanation of its
/// SCL row, the help scrolled, the open-file prompt before and after Tab.
#[tokio::test]
async fn popups_over_real_m365_mail() {
    let mut app = app_from(
        "tests/fixtures/real/m365-delivery.eml",
        "tests/fixtures/real/keys.zone",
        AT,
    )
    .await;
    for (w, h) in [(80, 24), (120, 35)] {
        sized(&mut app, w, h).await;
        act(&mut app, Action::Focus(Pane::M365)).await;
        act(&mut app, Action::Top).await;
        while app.row_topic().as_deref() != Some("m365:SCL") {
            let before = app.text;
            act(&mut app, Action::Down).await;
            assert_ne!(before, app.text, "no SCL row in the M365 pane");
        }
        act(&mut app, Action::Explain).await;
        let s = screen(&app, w, h);
        assert!(s.contains("SCL: spam confidence level"), "{s}");
        insta::assert_snapshot!(format!("explain_m365_scl_{w}x{h}"), s);
        act(&mut app, Action::Back).await;
        act(&mut app, Action::Help).await;
        for _ in 0..6 {
            act(&mut app, Action::Down).await;
        }
        insta::assert_snapshot!(format!("help_middle_{w}x{h}"), screen(&app, w, h));
        act(&mut app, Action::Quit).await;
        assert!(app.overlay.is_none());
    }
    act(&mut app, Action::OpenPrompt).await;
    for c in "sample-headers/foot".chars() {
        act(&mut app, Action::PromptChar(c)).await;
    }
    // cargo runs the tests from the package root: the path is relative
    // to it.
    insta::assert_snapshot!("open_prompt_80x24", screen(&app, 80, 24));
    act(&mut app, Action::PromptComplete).await;
    let s = screen(&app, 80, 24);
    assert!(
        s.contains("open file: sample-headers/footer-appended.eml"),
        "{s}"
    );
    insta::assert_snapshot!("open_prompt_completed_80x24", s);
}

/// The Hops pane marks where the path broke, between the last intact hop
/// and the first changed one, with the evidence under the marker.
#[tokio::test]
async fn the_hops_pane_marks_the_break_on_the_path() {
    let mut app = app_with("path-list-footer.eml").await;
    sized(&mut app, 80, 24).await;
    act(&mut app, Action::Focus(Pane::Hops)).await;
    let top = screen(&app, 80, 24);
    let marker = top
        .lines()
        .position(|l| l.contains("changed here: i=1 intact → i=2 changed (body)"))
        .expect("marker line");
    let hop = |n: &str| top.lines().position(|l| l.contains(&format!(" {n}. ")));
    assert!(hop("2").is_some_and(|h| h < marker), "{top}");
    assert!(hop("3").is_none_or(|h| h > marker), "{top}");
    insta::assert_snapshot!("hops_path_break_80x24", top);
    act(&mut app, Action::Bottom).await;
    let end = screen(&app, 80, 24);
    assert!(end.contains("  3. ") && end.contains("  4. "), "{end}");
    insta::assert_snapshot!("hops_path_break_end_80x24", end);
}

/// A change after the last ARC signer is marked as such, not as a hop that
/// "changed" at a position with no signer.
#[tokio::test]
async fn the_hops_pane_marks_a_change_after_the_last_signer() {
    let mut app = app_with("path-after-last-hop.eml").await;
    sized(&mut app, 80, 24).await;
    act(&mut app, Action::Focus(Pane::Hops)).await;
    let s = screen(&app, 80, 24);
    assert!(
        s.contains("changed here: after i=1, the last ARC signer (body)"),
        "{s}"
    );
    insta::assert_snapshot!("hops_path_after_last_80x24", s);
}

/// The headline does not let "dkim=pass" read as "all is well" when the
/// only passing signature is not aligned with From.
#[tokio::test]
async fn the_headline_says_a_passing_signature_is_not_aligned() {
    let mut app = app_with("multi-signature-esp.eml").await;
    sized(&mut app, 120, 35).await;
    let s = screen(&app, 120, 35);
    let flat = s
        .replace(['"', '\n'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        flat.contains(
            "1 other signature verifies, but it is not aligned with the From domain example.com"
        ),
        "{s}"
    );
}
