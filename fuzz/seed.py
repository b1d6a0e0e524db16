#!/usr/bin/env python3
"""Seed the fuzz corpora (fuzz/corpus/<target>/) from sample-headers/ and
tests/fixtures/: whole messages for message_parse and analyse, header values
for the tag lexer and the Authentication-Results parser, TXT strings for the
key record parser, keys files for the zone parser."""
import hashlib, pathlib, re

root = pathlib.Path(__file__).resolve().parent.parent
out = root / "fuzz" / "corpus"
msgs = [p for d in ("sample-headers", "tests/fixtures") for p in (root / d).rglob("*")
        if p.is_file() and p.suffix in (".eml", ".txt")]
zones = [p for p in root.rglob("*.zone") if "target" not in p.parts and "corpus" not in p.parts]

def put(target, data):
    d = out / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()).write_bytes(data)

def fields(raw):
    head = re.split(rb"\r?\n\r?\n", raw, maxsplit=1)[0]
    for m in re.finditer(rb"^([A-Za-z0-9-]+):(.*(?:\r?\n[ \t].*)*)", head, re.M):
        yield m.group(1).lower(), m.group(2)

for p in msgs:
    raw = p.read_bytes()
    put("message_parse", raw)
    put("analyse", raw)
    for name, value in fields(raw):
        if name in (b"dkim-signature", b"arc-seal", b"arc-message-signature"):
            put("tags_lex", value)
        if name in (b"authentication-results", b"arc-authentication-results"):
            put("auth_results", value)
for p in zones:
    text = p.read_bytes()
    put("zone_keys", text)
    for line in text.splitlines():
        parts = re.findall(rb'"((?:[^"\\]|\\.)*)"', line)
        if parts:
            rec = b"".join(parts)
            put("key_record", rec)
            put("tags_lex", rec)
for t in ("tags_lex", "key_record", "auth_results", "zone_keys", "message_parse", "analyse"):
    print(t, len(list((out / t).iterdir())))
