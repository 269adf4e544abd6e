import OWCLI
import OWKit

enum AuditCommand {
    static func log(_ inv: Call<LogOption>) throws {
        let limit = try inv.integer(.limit)
        let events = try AuditLog.events(inv.session.db, limit: limit, action: inv.value(.action), actor: inv.value(.actor))
        inv.emit(events, as: eventShape)
    }

    static let eventShape = AuditEvent.shape

    /// What `audit verify` found: the chain, and with --state the ledger's state against it.
    struct Check {
        enum State {
            case notAsked, notRecorded
            case checked(seq: Int64, problem: String?)
        }
        let chain: AuditLog.Verification
        var state = State.notAsked

        var problem: String? {
            if case .checked(_, let problem?) = state { return problem }
            return chain.problem
        }
    }

    static let checkShape = Shape<Check>([
        Field("ok", "verify: true when the chain (and with --state the ledger) checks out") { .bool($0.problem == nil) },
        Field("events", "verify: events in the chain") { .int(Int64($0.chain.events)) },
        Field("seals", "verify: seals checked") { .int(Int64($0.chain.seals)) },
        Field("head", "verify: the last event's hash") { .text($0.chain.head) },
        Field("first_bad_seq", "verify: the first event that does not check out, or null") { .int($0.chain.firstBadSeq) },
        Field("problem", "verify: what is wrong, or null") { .text($0.problem) },
        Field("state", "verify --state: ok, differs or not recorded yet") { c in
            switch c.state {
            case .notAsked: return nil
            case .notRecorded: return .text("not recorded yet")
            case .checked(_, let problem): return .text(problem == nil ? "ok" : "differs")
            }
        },
    ])

    static let sealShape = Shape<(seq: Int64, hash: String)>([
        Field("seq", "position in the chain") { .int($0.seq) },
        Field("hash", "hex SHA-256") { .text($0.hash) },
    ])

    static func verify(_ inv: Call<VerifyOption>) throws {
        let v = try AuditLog.verify(inv.session.ledger)
        var check = Check(chain: v)
        if inv.flag(.state), v.ok {
            check.state = try AuditLog.verifyState(inv.session.ledger).map { .checked(seq: $0.seq, problem: $0.problem) } ?? .notRecorded
        }
        inv.emit(check, as: checkShape)
        if let problem = v.problem {
            throw OWError.badData(
                "audit chain broken at event \(v.firstBadSeq ?? 0): \(problem)",
                hint: "the ledger was changed outside owatch; compare with a backup (`owatch backup`)")
        }
        if case .checked(let seq, let problem?) = check.state {
            throw OWError.badData(
                "ledger state differs from the audit chain (event \(seq)): \(problem)",
                hint: "the ledger was changed outside owatch; compare with a backup (`owatch backup`)")
        }
    }

    static func seal(_ inv: Invocation) throws {
        let key = try Issuer.loadKey(inv.paths.issuerKey, for: inv.session.ledger)
        let sealed = try AuditLog.seal(inv.session.ledger, key: key, actor: inv.session.actor)
        inv.emit(sealed, as: sealShape)
        inv.note("Sealed the audit log at event \(sealed.seq).")
    }
}

/// `owatch audit`: its manual page.
let auditNoun = Noun(
    name: "audit", summary: "the tamper-evident audit log",
    description: """
        Every change appends an event in the same transaction: seq, time, actor, role, action, object, details, prev_hash and hash, where hash is SHA-256 over prev_hash and the row's canonical encoding.
        audit seal signs the head with the issuer key.
        audit verify recomputes the chain, checks every seal, and names the first bad event; editing, deleting or reordering events, or truncating the log past a seal, is detected.
        Truncation after the last seal cannot be told from a shorter history: seal regularly (for example from cron).
        """
)

/// `owatch audit …`: its commands, in help order.
let auditCommands: [Command] = [
    Command(
        noun: "audit", verb: "log", summary: "show audit events, oldest first",
        options: AuditCommand.LogOption.self,
        access: .roles(adminOnly), examples: ["owatch audit log -n 20", "owatch audit log --action token --jsonl"],
        output: AuditCommand.eventShape.docs, run: AuditCommand.log),
    Command(
        noun: "audit", verb: "verify", summary: "recompute the hash chain and check every seal",
        options: AuditCommand.VerifyOption.self,
        access: .roles(adminOnly), examples: ["owatch audit verify || echo 'ledger was tampered with'", "owatch audit verify --state"],
        output: AuditCommand.checkShape.docs, run: AuditCommand.verify),
    Command(
        noun: "audit", verb: "seal", summary: "sign the current head of the chain with the issuer key",
        access: .roles(adminOnly), examples: ["owatch audit seal"], output: AuditCommand.sealShape.docs, run: AuditCommand.seal),
]

extension AuditCommand {
    enum LogOption: String, OptionKeys {
        case limit, action, actor

        var spec: Option {
            switch self {
            case .limit: Option(short: "n", value: "N", "only the last N events", kind: .integer(1...1_000_000))
            case .action: Option(value: "ACTION", "only this action or action family (e.g. user, user.add)")
            case .actor: Option(value: "USER", "only events by this person")
            }
        }
    }

    enum VerifyOption: String, OptionKeys {
        case state

        var spec: Option {
            switch self {
            case .state: Option("also check that the audited tables are what the last event recorded (finds direct edits)")
            }
        }
    }
}
