//! Input expansion and reading: Maildir trees, skipped entries, symlink
//! loops, stable order, paths as given, and read errors.

use std::fs;
use std::path::Path;

use dkimscope::message::load::{Input, LoadError, expand, read};

fn touch(path: &Path, body: &[u8]) {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).expect("mkdir");
    }
    fs::write(path, body).expect("write");
}

/// The labels of all successful entries.
fn labels(args: &[String]) -> Vec<String> {
    expand(args)
        .into_iter()
        .map(|r| r.expect("no error entry").label())
        .collect()
}

fn maildir(root: &Path) {
    let m = root.join("Maildir");
    touch(&m.join("cur/1717409700.M1P1.host:2,S"), b"A: 1\n\n");
    touch(&m.join("cur/1717409600.M2P2.host:2,"), b"A: 2\n\n");
    touch(&m.join("new/1717409800.M3P3.host"), b"A: 3\n\n");
    touch(&m.join("tmp/1717409900.M4P4.host"), b"partial");
    touch(&m.join("dovecot.index"), b"");
    touch(&m.join("dovecot.index.cache"), b"");
    touch(&m.join("dovecot.index.log"), b"");
    touch(&m.join("dovecot-uidlist"), b"");
    touch(&m.join("dovecot-keywords"), b"");
    touch(&m.join("subscriptions"), b"");
    touch(&m.join("courierimapuiddb"), b"");
    touch(&m.join(".hidden-note"), b"");
    touch(&m.join(".Sent/maildirfolder"), b"");
    touch(&m.join(".Sent/cur/1717400000.M5P5.host:2,S"), b"A: 5\n\n");
    touch(&m.join(".git/config"), b"");
}

#[test]
fn maildir_tree_in_stable_order_with_paths_as_given() {
    let dir = tempfile::tempdir().expect("tempdir");
    maildir(dir.path());
    let arg = dir.path().join("Maildir").to_string_lossy().into_owned();
    let got = labels(std::slice::from_ref(&arg));
    let want: Vec<String> = [
        ".Sent/cur/1717400000.M5P5.host:2,S",
        "cur/1717409600.M2P2.host:2,",
        "cur/1717409700.M1P1.host:2,S",
        "new/1717409800.M3P3.host",
    ]
    .iter()
    .map(|rel| format!("{arg}/{rel}"))
    .collect();
    assert_eq!(got, want);

    // The same tree named with a trailing slash keeps the argument's form.
    let with_slash = format!("{arg}/");
    let got = labels(&[with_slash]);
    assert_eq!(got, want, "joining drops nothing and doubles no slash");
}

#[test]
fn relative_argument_stays_relative() {
    let dir = tempfile::tempdir().expect("tempdir");
    touch(&dir.path().join("mails/b.eml"), b"B: 1\n\n");
    touch(&dir.path().join("mails/a.eml"), b"A: 1\n\n");
    touch(&dir.path().join("mails/sub/c.eml"), b"C: 1\n\n");
    let before = std::env::current_dir().expect("cwd");
    // Only this test changes the working directory; the others use
    // absolute paths.
    std::env::set_current_dir(dir.path()).expect("cd");
    let got = labels(&["mails".to_string()]);
    std::env::set_current_dir(before).expect("cd back");
    assert_eq!(got, ["mails/a.eml", "mails/b.eml", "mails/sub/c.eml"]);
}

#[cfg(unix)]
#[test]
fn symlinked_directories_are_not_followed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("store");
    touch(&root.join("a.eml"), b"A: 1\n\n");
    touch(&root.join("sub/b.eml"), b"B: 1\n\n");
    std::os::unix::fs::symlink(&root, root.join("sub/loop")).expect("symlink");
    std::os::unix::fs::symlink(root.join("a.eml"), root.join("sub/link.eml")).expect("symlink");
    let arg = root.to_string_lossy().into_owned();
    let got = labels(std::slice::from_ref(&arg));
    assert_eq!(
        got,
        [
            format!("{arg}/a.eml"),
            format!("{arg}/sub/b.eml"),
            format!("{arg}/sub/link.eml"),
        ]
    );
}

#[test]
fn files_and_stdin_are_taken_as_given() {
    let args = vec![
        "./x/../msg.eml".to_string(),
        "-".to_string(),
        "missing.eml".to_string(),
    ];
    let got: Vec<Input> = expand(&args).into_iter().map(|r| r.expect("ok")).collect();
    assert_eq!(
        got,
        [
            Input::Path("./x/../msg.eml".into()),
            Input::Stdin,
            Input::Path("missing.eml".into()),
        ]
    );
    assert_eq!(got[0].label(), "./x/../msg.eml");
    assert_eq!(got[1].label(), "-");
}

#[cfg(unix)]
#[test]
fn unreadable_directory_gives_an_error_entry() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("store");
    touch(&root.join("a.eml"), b"A: 1\n\n");
    touch(&root.join("locked/b.eml"), b"B: 1\n\n");
    touch(&root.join("z.eml"), b"Z: 1\n\n");
    let locked = root.join("locked");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).expect("chmod");
    let enforced = fs::read_dir(&locked).is_err(); // not when running as root
    let got = expand(&[root.to_string_lossy().into_owned()]);
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).expect("chmod back");
    if !enforced {
        return;
    }
    assert_eq!(got.len(), 3);
    assert!(got[0].is_ok());
    let (path, reason) = got[1].clone().expect_err("error entry");
    assert_eq!(path, locked.to_string_lossy());
    assert_eq!(reason, "permission denied");
    assert!(got[2].is_ok(), "expansion went on after the error");
}

#[test]
fn read_reports_clear_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("m.eml");
    fs::write(&file, b"Subject: hi\r\n\r\nbody\r\n").expect("write");

    assert_eq!(
        read(&Input::Path(file.clone()), 1024).expect("read"),
        b"Subject: hi\r\n\r\nbody\r\n"
    );

    let err = read(&Input::Path(file.clone()), 10).expect_err("too large");
    assert!(matches!(
        err,
        LoadError::TooLarge {
            size: 21,
            limit: 10
        }
    ));
    assert_eq!(
        err.to_string(),
        "too large: 21 bytes, the limit is 10 bytes"
    );

    let err = read(&Input::Path(dir.path().join("nope.eml")), 1024).expect_err("missing");
    assert!(matches!(err, LoadError::NotFound));
    assert_eq!(err.to_string(), "not found");

    let err = read(&Input::Path(dir.path().to_path_buf()), 1024).expect_err("dir");
    assert!(matches!(err, LoadError::IsDirectory));
    assert_eq!(err.to_string(), "is a directory");
}

#[cfg(unix)]
#[test]
fn read_reports_permission_denied() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("secret.eml");
    fs::write(&file, b"A: 1\n\n").expect("write");
    fs::set_permissions(&file, fs::Permissions::from_mode(0o000)).expect("chmod");
    if fs::File::open(&file).is_ok() {
        return; // running as root: permissions are not enforced
    }
    let err = read(&Input::Path(file), 1024).expect_err("denied");
    assert!(matches!(err, LoadError::PermissionDenied));
}
