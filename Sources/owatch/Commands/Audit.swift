import OWCLI
import OWKit

enum AuditCommand {
    static func log(_ inv: Invocation) throws {
        let limit = try inv.integer("limit", range: 1...1_000_000)
        let events = try AuditLog.events(inv.session.db, limit: limit, action: inv.value("action"), actor: inv.value("actor"))
        inv.emit(
            events.map { e in
                Record([
                    ("seq", .int(e.seq)), ("time", .text(e.time)), ("actor", .text(e.actor)), ("role", .text(e.role)),
                    ("action", .text(e.action)), ("object", .text(e.object)),
                    ("details", .json((try? JSON.parse(e.details)) ?? .string(e.details))), ("hash", .text(e.hash)),
                ])
            }, columns: ["seq", "time", "actor", "role", "action", "object", "details", "hash"])
    }

    static func verify(_ inv: Invocation) throws {
        let v = try AuditLog.verify(inv.session.ledger)
        var fields: [(String, Value)] = [
            ("ok", .bool(v.ok)), ("events", .int(Int64(v.events))), ("seals", .int(Int64(v.seals))),
            ("head", .text(v.head)), ("first_bad_seq", .int(v.firstBadSeq)), ("problem", .text(v.problem)),
        ]
        var stateProblem: (Int64, String)?
        if inv.flag("state"), v.ok {
            let state = try AuditLog.verifyState(inv.session.ledger)
            if let state, let problem = state.problem { stateProblem = (state.seq, problem) }
            fields[0] = ("ok", .bool(stateProblem == nil))
            fields.append(("state", .text(state == nil ? "not recorded yet" : (stateProblem == nil ? "ok" : "differs"))))
            if let stateProblem { fields[5] = ("problem", .text(stateProblem.1)) }
        }
        inv.emit(Record(fields))
        if let problem = v.problem {
            throw OWError.badData(
                "audit chain broken at event \(v.firstBadSeq ?? 0): \(problem)",
                hint: "the ledger was changed outside owatch; compare with a backup (`owatch backup`)")
        }
        if let (seq, problem) = stateProblem {
            throw OWError.badData(
                "ledger state differs from the audit chain (event \(seq)): \(problem)",
                hint: "the ledger was changed outside owatch; compare with a backup (`owatch backup`)")
        }
    }

    static func seal(_ inv: Invocation) throws {
        let key = try Issuer.loadKey(inv.paths.issuerKey, for: inv.session.ledger)
        let sealed = try AuditLog.seal(inv.session.ledger, key: key, actor: inv.session.actor)
        inv.emit(Record([("seq", .int(sealed.seq)), ("hash", .text(sealed.hash))]))
        inv.note("Sealed the audit log at event \(sealed.seq).")
    }
}

/// `owatch audit`: its manual page.
let auditNoun = Noun(
    name: "audit", summary: "the tamper-evident audit log",
    description:
        "Every change appends an event in the same transaction: seq, time, actor, role, action, object, details, prev_hash and hash, where hash is SHA-256 over prev_hash and the row's canonical encoding. audit seal signs the head with the issuer key. audit verify recomputes the chain, checks every seal, and names the first bad event; editing, deleting or reordering events, or truncating the log past a seal, is detected. Truncation after the last seal cannot be told from a shorter history: seal regularly (for example from cron).",
    jsonKeys: [
        ("seq", "position in the chain"), ("time", "RFC 3339"), ("actor", "user name"), ("role", "actor's role"),
        ("action", "e.g. user.add"),
        ("object", "what was changed"), ("details", "JSON object"), ("hash", "hex SHA-256"),
    ])

/// `owatch audit …`: its commands, in help order.
let auditCommands: [Command] = [
    Command(
        noun: "audit", verb: "log", summary: "show audit events, oldest first",
        options: [
            Option("limit", short: "n", value: "N", "only the last N events"),
            Option("action", value: "ACTION", "only this action or action family (e.g. user, user.add)"),
            Option("actor", value: "USER", "only events by this person"),
        ],
        access: .roles(adminOnly), examples: ["owatch audit log -n 20", "owatch audit log --action token --jsonl"],
        run: AuditCommand.log),
    Command(
        noun: "audit", verb: "verify", summary: "recompute the hash chain and check every seal",
        options: [Option("state", "also check that the audited tables are what the last event recorded (finds direct edits)")],
        access: .roles(adminOnly), examples: ["owatch audit verify || echo 'ledger was tampered with'", "owatch audit verify --state"],
        run: AuditCommand.verify),
    Command(
        noun: "audit", verb: "seal", summary: "sign the current head of the chain with the issuer key",
        access: .roles(adminOnly), examples: ["owatch audit seal"], run: AuditCommand.seal),
]
