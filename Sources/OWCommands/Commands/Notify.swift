import FoundationEssentials
import OWCLI
import OWKit

/// `owatch notify`: channels, the outbox's log, and delivery (issue 34).
enum NotifyCommand {
    static let channelShape = NotifyChannel.shape

    static let itemShape = OutboxItem.shape

    static let attemptShape = DeliveryAttempt.shape

    struct TestResult: Sendable {
        let channel: NotifyChannel
        let result: SendResult
    }

    static let testShape = Shape<TestResult>(
        [
            channelShape.field("name").pulledBack(\.channel), channelShape.field("kind").pulledBack(\.channel),
            Field("delivered", "whether the receiver accepted it (HTTP 2xx, or sendmail exit 0)") { .bool($0.result.ok) },
            Field("http_status", "the HTTP status received (null: none)", kind: .number) { .int($0.result.http.map(Int64.init)) },
            Field("error", "why it failed", kind: .text) { .text($0.result.error) },
        ])

    static func add(_ inv: Call<AddOption>) throws {
        guard let kind = ChannelKind(rawValue: inv.argument(0)) else {
            throw OWError.usage("unknown channel kind '\(SafeText.visible(String(inv.argument(0).prefix(20))))'")
        }
        guard let events = inv.value(.events) else {
            throw OWError.usage("say which events it gets: --events renewal,cancel-by,digest (or all)")
        }
        let channel = try NotifyChannels.add(
            inv.session, kind: kind, name: inv.argument(1), urlFile: inv.value(.urlFile), to: inv.value(.to),
            events: try NotifyEvent.parseList(events))
        inv.emitChanged(channel, as: channelShape)
        inv.note(
            "Added \(kind.rawValue) channel \(channel.name) (\(channel.masked)) for \(channel.events.map(\.rawValue).joined(separator: ", "))."
        )
    }

    static func list(_ inv: Invocation) throws {
        let channels = try NotifyChannels.list(inv.session.db)
        inv.emit(channels, as: channelShape)
        if channels.isEmpty { inv.note("No channels; add one with `owatch notify add slack NAME --url-file FILE --events all`.") }
    }

    static func remove(_ inv: Invocation) throws {
        let c = try NotifyChannels.remove(inv.session, inv.argument(0))
        inv.emitChanged(c, as: channelShape)
        inv.note("Removed channel \(c.name); what it still had to send is marked failed.")
    }

    static func test(_ inv: Invocation) throws {
        let channel = try NotifyChannels.get(inv.session.db, inv.argument(0))
        let result = try Delivery.test(inv.session, channel.name)
        inv.emit(TestResult(channel: channel, result: result), as: testShape) {
            if result.ok {
                inv.note("Delivered a test message to \(channel.name)" + (result.http.map { " (HTTP \($0))" } ?? "") + ".")
            }
        }
        // Honest: a failed test is a failed command, whatever the format.
        if !result.ok { throw OWError.refused("test message to \(channel.name) not delivered: \(result.error ?? "failed")") }
    }

    static func log(_ inv: Call<LogOption>) throws {
        let items = try Outbox.log(inv.session.db, failed: inv.flag(.failed))
        inv.emit(items, as: itemShape)
        if items.isEmpty { inv.note(inv.flag(.failed) ? "No failed notifications." : "The outbox is empty.") }
    }

    static func retry(_ inv: Invocation) throws {
        let item = try Outbox.retry(inv.session, try Invocation.id(inv.argument(0), of: "outbox item"))
        inv.emitChanged(item, as: itemShape)
        inv.note("Outbox item #\(item.id) will be tried again by the next `owatch notify deliver`.")
    }

    static func deliver(_ inv: Invocation) throws {
        // Reminders whose day came (or passed while no run happened) are queued first, so this run sends them.
        for warning in Housekeeping.renewalReminders(inv.session) { inv.warn(warning) }
        // The week's first cron run queues its digest (other commands' deliveries never do).
        try Digest.queueWeekly(inv.session)
        let attempts = try Delivery.deliver(inv.session)
        inv.emitUnlessEmptyTable(attempts, as: attemptShape)
        // What cron should mail: an item given up on (stdout, the list, can go to /dev/null).
        for a in attempts where a.outcome == .failed {
            inv.warn(
                "notification #\(a.item.id) to \(a.item.channel) failed for good: \(a.error ?? "failed"); see `owatch notify log --failed`")
        }
        let count = { (o: DeliveryAttempt.Outcome) in attempts.filter { $0.outcome == o }.count }
        if !attempts.isEmpty {
            inv.note("Delivered \(count(.delivered)), retrying \(count(.retrying)), failed \(count(.failed)), stale \(count(.stale)).")
        }
    }
}

extension ReportCommand {
    static let digestShape = DigestLine.shape

    static func digest(_ inv: Call<DigestOption>) throws {
        let s = inv.session
        let since = try inv.duration(.since) ?? Duration(count: 7, unit: .day)
        let lines = try Digest.lines(s.db, since: since, today: s.now)
        inv.emit(lines, as: digestShape)
        if lines.isEmpty { inv.note("Nothing needs attention this week.") }
        guard inv.flag(.send) else { return }
        guard try NotifyChannels.list(s.db).contains(where: { $0.wants(.digest) }) else {
            throw OWError.refused("no channel takes the digest", hint: "owatch notify add slack NAME --url-file FILE --events digest")
        }
        for warning in Housekeeping.renewalReminders(s) { inv.warn(warning) }
        if try Digest.queueWeekly(s, since: since) == 0 {
            inv.note("This week's digest was queued already; a key is never sent twice.")
        }
        let sent = try Delivery.deliver(s).filter { $0.item.event == "digest" }
        for a in sent where a.outcome != .delivered {
            inv.warn("digest to \(a.item.channel) \(a.outcome.rawValue): \(a.error ?? "")")
        }
        inv.note("Digest delivered to \(sent.filter { $0.outcome == .delivered }.count) channel(s).")
    }
}

/// `owatch notify`: its manual page.
let notifyNoun = Noun(
    name: "notify", summary: "notification channels and the outbox: Slack, Teams, ntfy, webhooks, e-mail",
    description: """
        Events are queued in the ledger's outbox in the same transaction as their cause, one item per event, subject, day, lead time and channel: renewal (a renewal's or term end's lead time reached), cancel-by (a cancel-by date's lead time reached), finding (a new scan finding), request (a request waiting for approval), approval, rejection and digest (the weekly digest, queued by the first notify deliver or report digest --send of each week).
        A reminder is queued by whichever run first sees its day, including days on which no run happened; changing a renewal date or the terms gives new keys, so reminders re-arm, and a reminder whose license renewed, moved, ended or was cancelled before it went out is marked stale and not sent.
        Delivery happens at the end of every admin's or scanner's command that changed the ledger (a failure there is a warning, never the command's exit status; an employee's request waits for the next one or for cron; a read-only command never delivers) and on owatch notify deliver, for cron, whose first run each week also queues the digest. A run claims items in a transaction under a lease, sends them, and records the outcome; two runs never send one key, and a failing item is tried again with growing waits (config notify.retry, default 5/1d: 5 tries over a day) and then marked failed (notify log --failed; notify retry ID puts it back).
        Guarantee: if owatch is killed after a receiver accepted an item and before the ledger recorded it, the item is sent again when its lease ends (2 minutes later), with the same key, so delivery is at least once. Every message carries its key (Idempotency-Key and X-Owatch-Event headers, idempotency_key in webhook bodies, Message-ID and X-Owatch-Key in e-mail) so a receiver that remembers keys sees it exactly once; Slack, Teams and ntfy do not, and may show that one message twice.
        Bodies are JSON built by owatch's encoder: Slack {"text"}, Teams Workflows an Adaptive Card message, ntfy its JSON publish format (topic from the URL's last path segment), webhook {idempotency_key, event, subject, day, lead, title, text, data}. HTTP goes through the curl program (Debian package curl), with the URL and headers on its standard input, never its arguments, http and https only and no redirects; a 2xx status is success. E-mail goes to sendmail -t -i (config notify.sendmail, default /usr/sbin/sendmail).
        Webhook URLs are read from a file only its owner may read (--url-file, chmod 600) and kept in the ledger; owatch never prints one whole: notify list shows the scheme and host.
        The existing hooks (post-request, post-approve, license-renewing, …) run as before, beside the channels.
        """
)

/// `owatch notify …`: its commands, in help order.
let notifyCommands: [Command] = [
    Command(
        noun: "notify", verb: "add", summary: "add a channel: slack, teams, ntfy or webhook (--url-file) or email (--to)",
        arguments: [Argument(name: "KIND", choices: ChannelKind.allCases.map(\.rawValue)), Argument(name: "NAME")],
        options: NotifyCommand.AddOption.self,
        access: .roles(adminOnly),
        examples: [
            "owatch notify add slack office --url-file ~/.config/owatch/slack.url --events renewal,cancel-by,digest",
            "owatch notify add email it --to it@example.com --events all",
        ],
        output: NotifyCommand.channelShape.docs, run: NotifyCommand.add),
    Command(
        noun: "notify", verb: "list", summary: "the channels, their events and masked targets", access: .roles(adminOnly),
        examples: ["owatch notify list"], output: NotifyCommand.channelShape.docs, run: NotifyCommand.list),
    Command(
        noun: "notify", verb: "remove", summary: "remove a channel (what it still had to send is marked failed)",
        arguments: [Argument(name: "NAME")], access: .roles(adminOnly), examples: ["owatch notify remove office"],
        output: NotifyCommand.channelShape.docs, run: NotifyCommand.remove),
    Command(
        noun: "notify", verb: "test", summary: "send a test message now and report what the receiver said (exit 1 if not delivered)",
        arguments: [Argument(name: "NAME")], access: .roles(adminOnly), examples: ["owatch notify test office"],
        output: NotifyCommand.testShape.docs, run: NotifyCommand.test),
    Command(
        noun: "notify", verb: "log", summary: "the outbox, newest first: what was queued, sent, retried or failed",
        options: NotifyCommand.LogOption.self, access: .roles(adminOnly),
        examples: ["owatch notify log", "owatch notify log --failed --json"], output: NotifyCommand.itemShape.docs, run: NotifyCommand.log),
    Command(
        noun: "notify", verb: "retry", summary: "queue a failed item again with fresh tries", arguments: [Argument(name: "ID")],
        access: .roles(adminOnly), examples: ["owatch notify retry 12"], output: NotifyCommand.itemShape.docs, run: NotifyCommand.retry),
    Command(
        noun: "notify", verb: "deliver", summary: "send what is due (for cron; queues the weekly digest first)",
        access: .roles([.admin, .scanner]),
        examples: ["owatch notify deliver", "owatch notify deliver -q >/dev/null   # from cron: stderr names items given up on"],
        output: NotifyCommand.attemptShape.docs, run: NotifyCommand.deliver),
]

extension NotifyCommand {
    enum AddOption: String, OptionKeys {
        case urlFile = "url-file"
        case to, events

        var spec: Option {
            switch self {
            case .urlFile: Option(value: "FILE", "a file (mode 600) holding the webhook URL", file: .input)
            case .to: Option(value: "ADDRESS", "email: the address to send to")
            case .events:
                Option(value: "LIST", "the events it gets: " + NotifyEvent.allCases.map(\.rawValue).joined(separator: ",") + " or all")
            }
        }
    }

    enum LogOption: String, OptionKeys {
        case failed

        var spec: Option {
            switch self {
            case .failed: Option("only items that failed for good")
            }
        }
    }
}
