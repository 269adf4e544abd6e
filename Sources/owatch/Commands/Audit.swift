import OWKit

enum AuditCommand {
    static func log(_ inv: Invocation) throws {
        let limit = try inv.integer("limit", range: 1...1_000_000)
        let events = try AuditLog.events(inv.session.db, limit: limit, action: inv.value("action"), actor: inv.value("actor"))
        inv.emit(events.map { e in
            Record([("seq", .int(e.seq)), ("time", .text(e.time)), ("actor", .text(e.actor)), ("role", .text(e.role)),
                    ("action", .text(e.action)), ("object", .text(e.object)),
                    ("details", .json((try? JSON.parse(e.details)) ?? .string(e.details))), ("hash", .text(e.hash))])
        }, columns: ["seq", "time", "actor", "role", "action", "object", "details", "hash"])
    }

    static func verify(_ inv: Invocation) throws {
        let v = try AuditLog.verify(inv.session.ledger)
        var fields: [(String, Value)] = [("ok", .bool(v.ok)), ("events", .int(Int64(v.events))), ("seals", .int(Int64(v.seals))),
                                         ("head", .text(v.head)), ("first_bad_seq", .int(v.firstBadSeq)), ("problem", .text(v.problem))]
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
            throw OWError.badData("audit chain broken at event \(v.firstBadSeq ?? 0): \(problem)",
                                  hint: "the ledger was changed outside owatch; compare with a backup (`owatch backup`)")
        }
        if let (seq, problem) = stateProblem {
            throw OWError.badData("ledger state differs from the audit chain (event \(seq)): \(problem)",
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
