import OWCLI
import OWKit

enum DoctorCommand {
    static func run(_ inv: Invocation) throws {
        let checks = try Maintenance.doctor(inv.session)
        inv.emit(checks, as: checkShape)
        let failed = checks.filter { $0.status == .fail }
        if !failed.isEmpty {
            throw OWError.refused("\(failed.count) check(s) failed: \(failed.map(\.name).joined(separator: ", "))")
        }
    }

    static let checkShape = Maintenance.Check.shape
}

/// `owatch doctor`: its manual page.
let doctorNoun = Noun(
    name: "doctor", summary: "check the installation",
    description: """
        Checks that the ledger opens, passes SQLite's integrity and foreign key checks, is in WAL mode and at the current schema; that the issuer key and token files are private and belong to this ledger; that an active admin exists; and that the audit chain verifies.
        On PostgreSQL, instead of SQLite's file checks: the server version (and whether it is a hot standby); the role owatch connects as, which may insert audit events but never update, delete or truncate them (a superuser, whom no privilege binds, is a warning); and every other role granted on the ledger: application roles that must not edit events either, and readers that must not see tokens, keys or other secrets.
        Exits 1 when any check fails.
        """
)

/// `owatch doctor …`: its commands, in help order.
let doctorCommands: [Command] = [
    Command(
        noun: "doctor", verb: nil, summary: "check the ledger, keys, files and audit chain",
        access: .roles(adminOnly), examples: ["owatch doctor"], output: DoctorCommand.checkShape.docs,
        run: DoctorCommand.run)
]
