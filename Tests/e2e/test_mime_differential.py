"""Differential test of owatch's MIME reader against Python's `email` package, on every
`msg_*.txt` in CPython's own test_email data. Every disagreement is either fixed or listed
in KNOWN with the reason owatch differs on purpose."""
import email
import email.policy
import os
import warnings

import pytest

# Run once, on SQLite ledgers (make test): documents, help and docs read the same whatever holds the ledger.
pytestmark = pytest.mark.backend_independent

try:
    import test as cpython_test
    DATA = os.path.join(os.path.dirname(cpython_test.__file__), "test_email", "data")
except ImportError:
    DATA = None

# message → (field, why owatch differs)
KNOWN = {
}


def python_view(raw: bytes):
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    def header(name):
        try:
            v = msg[name]
        except Exception:
            return None
        return None if v is None else str(v)
    texts = []
    for part in msg.walk():
        if part.get_content_maintype() == "text" and not part.is_multipart():
            try:
                texts.append(part.get_content())
            except Exception:
                texts.append(None)
    return {"subject": header("subject") or "", "from": header("from") or "", "date": header("date"),
            "parts": [p.get_content_type() for p in msg.walk()], "texts": texts}


def normalise_text(t):
    return None if t is None else t.replace("\r\n", "\n")


def test_agrees_with_python_email(office, capsys):
    if not DATA or not os.path.isdir(DATA):
        pytest.skip("CPython's test_email data is not installed")
    files = sorted(f for f in os.listdir(DATA) if f.startswith("msg_") and f.endswith(".txt"))
    assert len(files) >= 40
    agree, disagreements = 0, []
    for name in files:
        raw = open(os.path.join(DATA, name), "rb").read()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            py = python_view(raw)
        ours = office.ok("scan", "inspect", os.path.join(DATA, name), "--json").json()
        diffs = []
        for field in ["subject", "from", "date", "parts"]:
            if ours[field] != py[field]:
                diffs.append(field)
        if [normalise_text(t) for t in ours["texts"]] != [normalise_text(t) for t in py["texts"] if t is not None]:
            diffs.append("texts")
        unexplained = [d for d in diffs if (name, d) not in KNOWN]
        if unexplained:
            disagreements.append((name, unexplained, {d: (ours.get(d), py.get(d)) for d in unexplained}))
        else:
            agree += 1
    with capsys.disabled():
        print(f"\nMIME differential: {agree}/{len(files)} messages agree with Python's email package "
              f"({len(KNOWN)} documented differences)")
    assert not disagreements, "\n".join(f"{n}: {d}: {detail}" for n, d, detail in disagreements)
