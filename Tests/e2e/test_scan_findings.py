"""Findings that stay true (part of issue 13): one open finding per subject, resolved with a
reason when its condition stops holding; several ids at once; the cron exit code."""
import datetime

from test_scan import CARD, MBOX


def findings(office, *args):
    return office.ok("scan", "findings", "--json", *args).json()


def test_idle_seats_are_one_finding_updated_then_resolved(office):
    for u in ("bob", "carol"):
        office.add_user(u)
    office.ok("license", "add", "Figma", "--vendor", "figma", "--seats", "3", "--cost", "45")
    card = office.home / "empty.csv"
    card.write_text("Date,Description,Amount\n")
    office.ok("scan", card)
    [f] = [f for f in findings(office) if f["kind"] == "unused_seats"]
    assert "3 idle seat(s)" in f["summary"]
    office.ok("license", "assign", "Figma", "bob")
    [g] = [f for f in findings(office) if f["kind"] == "unused_seats"]
    assert g["id"] == f["id"] and "2 idle seat(s)" in g["summary"] and g["monthly_minor"] == 3000
    office.ok("scan", card)
    assert len([f for f in findings(office) if f["kind"] == "unused_seats"]) == 1        # never a second one beside it
    office.ok("license", "assign", "Figma", "carol", "alice")
    assert [f for f in findings(office) if f["kind"] == "unused_seats"] == []
    [done] = findings(office, "--status", "resolved")
    assert done["id"] == f["id"] and done["note"] == "every seat of Figma is held now"
    assert "unused_seats" not in str(office.ok("report", "summary", "--json").json()["open_findings"])
    office.ok("license", "unassign", "Figma", "carol")
    office.ok("scan", card)
    assert len([f for f in findings(office) if f["kind"] == "unused_seats"]) == 1        # the condition returned: found again
    office.ok("audit", "verify", "--state")


def test_cancelling_resolves_the_licenses_findings(office):
    soon = (datetime.date.today() + datetime.timedelta(days=10)).isoformat()
    office.ok("license", "add", "Zoom", "--vendor", "zoom", "--seats", "2", "--cost", "30", "--renews", soon)
    card = office.home / "empty.csv"
    card.write_text("Date,Description,Amount\n")
    office.ok("scan", card)
    assert {f["kind"] for f in findings(office)} == {"renewal", "unused_seats"}
    office.ok("license", "cancel", "Zoom")
    assert findings(office) == []
    assert {f["note"] for f in findings(office, "--all")} == {"Zoom was cancelled"}


def test_several_ids_at_once_and_the_cron_exit_code(office):
    mbox = office.home / "r.mbox"
    mbox.write_bytes(MBOX.read_bytes())
    r = office.run("scan", CARD, "--fail-on-findings")
    assert r.rc == 1                                                                  # unmanaged spend: shadow IT
    unmanaged = [f["id"] for f in findings(office, "--kind", "unmanaged")]
    assert len(unmanaged) >= 3
    office.ok("scan", "ignore", str(unmanaged[0]), str(unmanaged[1]), "-m", "personal")
    assert {f["id"] for f in findings(office, "--status", "ignored")} == set(unmanaged[:2])
    r = office.run("scan", "ignore", str(unmanaged[2]), "99999", "-m", "x")
    assert r.rc == 1 and findings(office, "--status", "ignored").__len__() == 2        # all or none
    adopted = office.ok("scan", "adopt", str(unmanaged[2]), str(unmanaged[3]), "--yes", "--json").json()
    assert {a["status"] for a in adopted} == {"adopted"}
    # Idle seats and renewals alone do not fail the cron job, unless --fail-on all.
    office.ok("license", "add", "Idle", "--vendor", "miro", "--seats", "5", "--cost", "10")
    card = office.home / "empty.csv"
    card.write_text("Date,Description,Amount\n")
    assert office.run("scan", card, "--fail-on-findings").rc == 0
    office.ok("license", "add", "Idle2", "--vendor", "loom", "--seats", "5", "--cost", "10")
    assert office.run("scan", card, "--fail-on", "all").rc == 1
