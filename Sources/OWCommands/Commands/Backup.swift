import OWCLI
import OWKit

enum BackupCommand {
    static func run(_ inv: Call<BackupOption>) throws {
        let result = try Maintenance.backup(inv.session, to: inv.argument(0), overwrite: inv.flag(.force))
        inv.note("Backed up the ledger to \(inv.argument(0)) (\(result.bytes) bytes, \(result.events) audit events).")
    }
}

/// `owatch backup`: its manual page.
let backupNoun = Noun(
    name: "backup", summary: "copy the ledger safely",
    description: """
        Writes a consistent copy of the ledger with SQLite's online backup API, so it is safe while other owatch processes write.
        The copy is written to a temporary file, checked, then renamed into place with mode 0600.
        """
)

/// `owatch backup …`: its commands, in help order.
let backupCommands: [Command] = [
    Command(
        noun: "backup", verb: nil, summary: "write a consistent copy of the ledger, safe while others write",
        arguments: [Argument(name: "FILE", file: .output)], options: BackupCommand.BackupOption.self,
        access: .roles(adminOnly), examples: ["owatch backup /var/backups/owatch-$(date +%F).db"], run: BackupCommand.run)
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
