#!/usr/bin/env bash
# owatch demo: a throw-away office in a temp directory. Run with `make demo`.
set -euo pipefail
OW=${OWATCH_BIN:-owatch}
here=$(cd "$(dirname "$0")" && pwd)
demo=$(mktemp -d "${TMPDIR:-/tmp}/owatch-demo.XXXXXX")
export HOME="$demo" XDG_DATA_HOME="$demo/data" XDG_CONFIG_HOME="$demo/config"
unset OWATCH_LEDGER OWATCH_TOKEN OWATCH_KEY OWATCH_FORMAT
cd "$demo"
# Shows each command as a user would type it, then runs it.
step() { shift; printf '\n\033[1m$ owatch %s\033[0m\n' "$*"; "$OW" "$@"; }

echo "Demo office in $demo"
step "$OW" init --org "Acme GmbH" --admin alice --currency EUR
step "$OW" user add bob --role employee --dept sales --email bob@acme.example --token-out bob.token
step "$OW" user add carol --role employee --dept engineering --token-out carol.token
step "$OW" user add cron --role scanner --token-out scanner.token
step "$OW" whoami
step "$OW" --token bob.token whoami
printf '\n\033[1m$ owatch user list --json | jq -r '"'"'.[] | "\\(.name)\\t\\(.role)\\t\\(.dept // "-")"'"'"'\033[0m\n'
"$OW" user list --json | jq -r '.[] | "\(.name)\t\(.role)\t\(.dept // "-")"'
printf '\n\033[1m$ owatch --token bob.token user list   # an employee is refused\033[0m\n'
"$OW" --token bob.token user list || echo "(exit $?)"

echo; echo "== The inventory"
step "$OW" license add Slack --vendor slack --plan Pro --seats 3 --cost 8.75 --per-seat --renews 2027-01-01 --assign bob --assign carol -q
step "$OW" license add Figma --vendor figma --seats 2 --cost '€540' --period yearly --renews 2027-03-01 --assign carol -q
step "$OW" license add "Microsoft 365" --vendor m365 --seats unlimited --cost 2400 --period 24m --renews 2027-06-15 -q
step "$OW" license list
step "$OW" license list --user carol
step "$OW" license renewals --within 400d

echo; echo "== A request, approved, provisions a seat in one transaction"
step "$OW" --token bob.token request new software Figma --reason "design reviews with carol"
step "$OW" --token bob.token request new leave --from 2027-03-01 --to 2027-03-05
step "$OW" approve
step "$OW" approve 1 2 -m "enjoy"
step "$OW" license show Figma
step "$OW" --token bob.token request list
printf '\n\033[1m$ owatch license list --json | jq -r '"'"'.[] | "\\(.name): \\(.monthly) \\(.currency)/month, \\(.assigned)/\\(.seats // "∞") seats"'"'"'\033[0m\n'
"$OW" license list --json | jq -r '.[] | "\(.name): \(.monthly) \(.currency)/month, \(.assigned)/\(.seats // "∞") seats"'

echo; echo "== The cron job: receipts and the company card, scanned for shadow IT"
cp "$here/mail/receipts.mbox" "$here/statements/card.csv" "$demo/"
step "$OW" scan source add receipts.mbox
step "$OW" scan source add card.csv
step "$OW" --token scanner.token scan --fail-on-findings -q > /dev/null || echo "(exit $?: new findings, as cron would report them)"
step "$OW" --token scanner.token scan        # nothing new: silent
step "$OW" scan findings --kind unmanaged
step "$OW" scan findings --kind price_change
step "$OW" scan adopt 1        # Zoom was paid outside the inventory: it becomes a license
printf '\n\033[1m$ owatch report shadow --json | jq -r '"'"'.[:5][] | "\\(.vendor): \\(.monthly) \\(.currency)/month"'"'"'\033[0m\n'
"$OW" report shadow --json | jq -r '.[:5][] | "\(.vendor): \(.monthly) \(.currency)/month"'

echo; echo "== One total in one currency: exchange rates (ECB layout) and a base currency"
cp "$here/rates/eurofxref-hist.csv" "$demo/"
step "$OW" rate import eurofxref-hist.csv -q
step "$OW" config set base_currency EUR
step "$OW" rate list --currency USD

echo; echo "== People data: the directory, seat usage, and seats to reclaim"
cp "$here/people/google-users.csv" "$here/people/slack-members.csv" "$demo/"
step "$OW" user sync google-users.csv --dry-run
step "$OW" user sync google-users.csv -q
step "$OW" license assign Slack zoe.lefevre -q
step "$OW" usage import Slack slack-members.csv
step "$OW" report reclaim

echo; echo "== Contracts and budgets: cancel-by dates, decisions, a calendar feed"
step "$OW" license edit Figma --notice 30d --lead 60d,14d -q
step "$OW" license decide Figma renegotiate -m "ask for the nonprofit price"
step "$OW" license list --columns name,renews_on,notice,cancel_by,decision
step "$OW" budget set --org 1500/month -q
step "$OW" budget set --dept engineering 300/month -q
step "$OW" report budget --from 2026-11 --to 2027-01
step "$OW" report calendar --out "$demo/office.ics"
printf '\n\033[1m$ grep -E "^(SUMMARY|DTSTART|RRULE|TRIGGER)" office.ics | head -8\033[0m\n'
grep -E "^(SUMMARY|DTSTART|RRULE|TRIGGER)" "$demo/office.ics" | head -8

echo; echo "== Reports"
step "$OW" report summary
step "$OW" report burn --by vendor --from 2026-11 --to 2026-11 --format csv | head -8
step "$OW" report utilization
step "$OW" report forecast --months 6
step "$OW" report leave --year 2027

echo; echo "== Notifications: a Slack webhook (here a local recorder), the outbox and the weekly digest"
python3 - "$demo/recorder.port" "$demo/received.jsonl" <<'PY' &
import http.server, sys
class Recorder(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with open(sys.argv[2], "ab") as f:
            f.write(body + b"\n")
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ok")
    def log_message(self, *args):
        pass
server = http.server.HTTPServer(("127.0.0.1", 0), Recorder)
open(sys.argv[1], "w").write(str(server.server_address[1]))
server.serve_forever()
PY
recorder=$!
trap 'kill $recorder 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -s "$demo/recorder.port" ] && break; sleep 0.1; done
(umask 077; echo "http://127.0.0.1:$(cat "$demo/recorder.port")/services/T0000/B0000/XXXXXXXX" > slack.url)
step "$OW" notify add slack office --url-file slack.url --events request,approval,digest
step "$OW" notify list
step "$OW" --token bob.token request new software Miro --reason "workshops with the agency"
step "$OW" approve 3 -m "for the workshops"
step "$OW" report digest --send
step "$OW" notify log
echo; echo "What the Slack endpoint received (one JSON body a line):"
cat "$demo/received.jsonl"

echo; echo "== Keys and the audit chain"
step "$OW" token jwk
step "$OW" audit seal
step "$OW" audit verify
step "$OW" doctor
step "$OW" report html --out "$demo/dashboard.html"
echo
echo "The dashboard is $demo/dashboard.html (open it in a browser; it works offline)."
echo "The demo ledger is $demo/data/owatch/ledger.db; remove $demo when done."
