"""Everyday use (issue 14): messages that say what the user typed, and refusals that help."""


def test_bare_owatch_is_a_usage_error(bare):
    r = bare.run()
    assert r.rc == 64 and r.out == "" and "usage: owatch" in r.err and "owatch help" in r.err


def test_messages_name_the_flags_as_typed(office):
    r = office.run("license", "add", "X", "--vendor", "slack", "--seats", "2", "--cost", "10", "--renews", "2026-13-01")
    assert r.rc == 64 and "--renews '2026-13-01'" in r.err and "renews_on" not in r.err
    assert "owatch: warning: owatch:" not in r.err and r.err.count("owatch: error:") == 1


def test_license_names_get_did_you_mean_and_quoted_hints(office):
    office.ok("license", "add", "Adobe CC", "--vendor", "adobe", "--seats", "2", "--cost", "10")
    for wrong in ("Adobe", "Adobe Cc ", "Adobee CC"):
        r = office.run("license", "show", wrong)
        assert r.rc == 1 and "did you mean 'Adobe CC'?" in r.err, (wrong, r)
    r = office.run("license", "list", "--user", "ghost")
    assert r.rc == 1 and "user 'ghost' not found" in r.err


def test_outputs_refuse_a_missing_directory(office):
    r = office.run("report", "html", "--out", office.home / "no" / "such" / "d.html")
    assert r.rc == 66 and "no directory" in r.err
    assert not (office.home / "no").exists()
    r = office.run("backup", office.home / "nodir" / "b.db")
    assert r.rc == 66 and not (office.home / "nodir").exists()


def test_scan_inspect_of_empty_or_binary_files(office):
    empty = office.home / "empty.eml"
    empty.write_bytes(b"")
    binary = office.home / "bin.eml"
    binary.write_bytes(bytes(range(256)) * 8)
    for f, why in ((empty, "it is empty"), (binary, "it is binary")):
        r = office.run("scan", "inspect", f)
        assert r.rc == 65 and "is not an email message" in r.err and why in r.err, r
