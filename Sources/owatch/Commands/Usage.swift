import OWKit

/// `owatch usage`: when seat holders last used their software, from vendors' exports.
enum UsageCommand {
    static func importFile(_ inv: Invocation) throws {
        let path = inv.argument(1)
        let (text, _) = try CSV.readText(path)
        let format: UsageFormat? = inv.choice("from")
        let o = try Usage.importText(inv.session, license: inv.argument(0), text: text, format: format)
        inv.emit(Record([("format", .text(o.format.rawValue)), ("rows", .int(Int64(o.rows))), ("recorded", .int(Int64(o.recorded))),
                         ("active", .int(Int64(o.active))), ("seats", .intOr(o.seats, "unlimited")),
                         ("not_holders", .list(o.notHolders)), ("missing", .list(o.missing))]))
        inv.note("Recorded the last use of \(o.recorded) seat holder(s) from \(o.rows) row(s) (\(o.format.rawValue))."
                 + (o.notHolders.isEmpty ? "" : " \(o.notHolders.count) in the export hold no seat.")
                 + (o.missing.isEmpty ? "" : " \(o.missing.count) seat holder(s) are not in it: " + o.missing.prefix(10).joined(separator: ", ") + "."))
    }

    static func list(_ inv: Invocation) throws {
        inv.emit(try Usage.list(inv.session, license: inv.value("license")).map {
            Record([("license", .text($0.license)), ("user", .text($0.user)), ("last_active", .text($0.lastActive)), ("source", .text($0.source)),
                    ("imported_at", .text($0.importedAt))])
        }, columns: ["license", "user", "last_active", "source", "imported_at"])
    }
}
