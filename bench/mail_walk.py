#!/usr/bin/env python3
"""The alternative owatch scan is measured against: Python's own mailbox + email packages
walking an mbox and extracting the text of every part (what any receipt reader must do
first). Prints the number of messages and text characters, so the work cannot be skipped."""
import email
import email.policy
import mailbox
import sys

messages = chars = 0
def parse(f):
    return email.message_from_binary_file(f, policy=email.policy.default)


for msg in mailbox.mbox(sys.argv[1], factory=parse, create=False).itervalues():
    messages += 1
    chars += len(str(msg["subject"] or "")) + len(str(msg["from"] or ""))
    for part in msg.walk():
        if part.get_content_maintype() == "text":
            try:
                chars += len(part.get_content())
            except (LookupError, UnicodeError, AssertionError):
                pass
print(messages, chars)
