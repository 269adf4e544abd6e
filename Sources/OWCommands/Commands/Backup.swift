import OWCLI
import OWKit

enum BackupCommand {
    static func run(_ inv: Call<BackupOption>) throws {
        let result = try Maintenance.backup(inv.session, to: inv.argument(0), overwrite: inv.flag(.force))
        let how = result.tool.map { " with \($0)" } ?? ""
        inv.note("Backed up the ledger\(how) to \(inv.argument(0)) (\(result.bytes) bytes, \(result.events) audit events).")
        if let hint = result.restoreHint { inv.note(hint) }
    }
}

/// `owatch backup`: its manual page.
let backupNoun = Noun(
    name: "backup", summary: "copy the ledger safely",
    description: """
        Writes a consistent copy of the ledger with SQLite's online backup API, so it is safe while other owatch processes write.
        The copy is written to a temporary file, checked, then renamed into place with mode 0600.
        A PostgreSQL ledger is backed up with pg_dump (Debian package postgresql-client) in its custom format, from the same snapshot owatch counts the audit events in, and checked with pg_restore --list.
        The password is never on pg_dump's command line: it gets the URL without it and the password in PGPASSWORD (or libpq's ~/.pgpass, PGPASSFILE, PGSERVICE as usual).
        Restore it into an empty database: createdb office2 && pg_restore --no-owner --dbname postgresql://…/office2 FILE, then owatch --ledger postgresql://…/office2 audit verify --state.
        """
)

/// `owatch backup …`: its commands, in help order.
let backupCommands: [Command] = [
    Command(
        noun: "backup", verb: nil, summary: "write a consistent copy of the ledger, safe while others write",
        arguments: [Argument(name: "FILE", file: .output)], options: BackupCommand.BackupOption.self,
        access: .roles(adminOnly),
        examples: [
            "owatch backup /var/backups/owatch-$(date +%F).db", "owatch --ledger postgresql://owatch@db.example/office backup office.dump",
        ], run: BackupCommand.run)
]

extension BackupCommand {
    enum BackupOption: String, OptionKeys {
        case force

        var spec: Option {
            switch self {
            case .force: Option("replace FILE if it exists")
            }
        }
    }
}
