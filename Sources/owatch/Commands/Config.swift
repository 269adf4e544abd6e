import OWKit

enum ConfigCommand {
    static func get(_ inv: Invocation) throws {
        let key = inv.argument(0)
        guard let value = try Config.get(inv.session.ledger, key) else {
            throw OWError.refused("\(key) is not set and has no default")
        }
        if inv.exporter.format == .table { inv.term.out(SafeText.visible(value) + "\n") } else { inv.emit(Record([("key", .text(key)), ("value", .text(value))])) }
    }

    static func set(_ inv: Invocation) throws {
        let (stored, effect) = try Config.set(inv.session, inv.argument(0), inv.argument(1))
        inv.note("\(inv.argument(0)) = \(stored)")
        note(inv, effect)
    }

    static func unset(_ inv: Invocation) throws {
        let effect = try Config.unset(inv.session, inv.argument(0))
        inv.note("\(inv.argument(0)) is back to its default.")
        note(inv, effect)
    }

    static func note(_ inv: Invocation, _ effect: Config.Effect) {
        if !effect.recomputedLeave.isEmpty {
            inv.note("Counted the days of \(effect.recomputedLeave.count) pending leave request(s) again: "
                     + effect.recomputedLeave.map { "#\($0)" }.joined(separator: ", ") + ". Approved leave keeps its days (see owatch report leave).")
        }
    }

    static func list(_ inv: Invocation) throws {
        inv.emit(try Config.list(inv.session.ledger).map {
            Record([("key", .text($0.key.name)), ("value", .text($0.value)), ("default", .text($0.key.defaultValue)), ("set", .bool($0.isSet))])
        })
    }
}
