//! The stable words dkimscope reports: RFC 8601 results, diagnosis codes,
//! warnings and localization findings. `--json` prints these strings; they
//! never change meaning.

macro_rules! codes {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) use codes;

codes!(
    /// RFC 8601 §2.7.1 result of one signature (plus `none` at message level).
    Outcome {
        Pass = "pass",
        Fail = "fail",
        Neutral = "neutral",
        Policy = "policy",
        TempError = "temperror",
        PermError = "permerror",
        None = "none",
    }
);

codes!(
    /// The first step that decided a signature's result.
    Diagnosis {
        Pass = "pass",
        HeadersOnlyPass = "headers-only-pass",
        NoSignature = "no-signature",
        SigMalformed = "sig-malformed",
        SigMissingTag = "sig-missing-tag",
        SigBadVersion = "sig-bad-version",
        SigUnknownAlgorithm = "sig-unknown-algorithm",
        SigFromNotSigned = "sig-from-not-signed",
        SigIdentityMismatch = "sig-identity-mismatch",
        SigExpired = "sig-expired",
        SigSha1 = "sig-sha1",
        KeyNotFound = "key-not-found",
        KeyCnameDangling = "key-cname-dangling",
        KeyDnsError = "key-dns-error",
        KeyOfflineMissing = "key-offline-missing",
        KeyRevoked = "key-revoked",
        KeyMalformed = "key-malformed",
        KeyTooShort = "key-too-short",
        KeyAlgorithmMismatch = "key-algorithm-mismatch",
        KeyHashNotAllowed = "key-hash-not-allowed",
        KeyServiceMismatch = "key-service-mismatch",
        KeyStrictSubdomain = "key-strict-subdomain",
        BodyHashMismatch = "body-hash-mismatch",
        SignatureMismatch = "signature-mismatch",
    }
);

impl Diagnosis {
    /// The result this diagnosis gives (DESIGN.md's table).
    pub fn outcome(self) -> Outcome {
        use Diagnosis::*;
        match self {
            Pass | HeadersOnlyPass => Outcome::Pass,
            NoSignature => Outcome::None,
            SigSha1 => Outcome::Policy,
            KeyDnsError | KeyOfflineMissing => Outcome::TempError,
            BodyHashMismatch | SignatureMismatch => Outcome::Fail,
            _ => Outcome::PermError,
        }
    }
}

codes!(
    /// Facts beside a result that never change it.
    Warning {
        WeakKey1024 = "weak-key-1024",
        BodyLengthLimit = "body-length-limit",
        FromNotOversigned = "from-not-oversigned",
        TestingMode = "testing-mode",
        FutureTimestamp = "future-timestamp",
        NotAlignedWithFrom = "not-aligned-with-from",
    }
);

codes!(
    /// What most likely changed, beside body-hash-mismatch / signature-mismatch.
    Finding {
        BodyAppended = "body-appended",
        BodyLineEndings = "body-line-endings",
        BodyWhitespace = "body-whitespace",
        SubjectTagged = "subject-tagged",
        HeaderRefolded = "header-refolded",
        Unknown = "unknown",
        ExpiredAfterDelivery = "expired-after-delivery",
    }
);

codes!(
    /// How a step of the trace ended.
    Status {
        Ok = "ok",
        Warn = "warn",
        Fail = "fail",
        Skipped = "skipped",
    }
);

codes!(
    /// The steps of a signature's trace, in the order they run (DESIGN.md).
    Step {
        Locate = "locate",
        Tags = "tags",
        Key = "key",
        Body = "body",
        Headers = "headers",
        Signature = "signature",
        Verdict = "verdict",
    }
);
