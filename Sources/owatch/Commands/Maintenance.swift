import OWKit

enum DoctorCommand {
    static func run(_ inv: Invocation) throws {
        let checks = try Maintenance.doctor(inv.session)
        inv.emit(checks.map { Record([("check", .text($0.name)), ("status", .text($0.status.rawValue)), ("detail", .text($0.detail))]) })
        let failed = checks.filter { $0.status == .fail }
        if !failed.isEmpty {
            throw OWError.refused("\(failed.count) check(s) failed: \(failed.map(\.name).joined(separator: ", "))")
        }
    }
}

enum BackupCommand {
    static func run(_ inv: Invocation) throws {
        let result = try Maintenance.backup(inv.session, to: inv.argument(0), overwrite: inv.flag("force"))
        inv.note("Backed up the ledger to \(inv.argument(0)) (\(result.bytes) bytes, \(result.events) audit events).")
    }
}
