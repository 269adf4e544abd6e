import OWCLI
import OWKit

enum MigrateCommand {
    static func run(_ inv: Call<MigrateOption>) throws {
        guard let target = inv.value(.to) else { throw OWError.usage("owatch migrate needs --to sqlite:FILE or --to postgresql://…") }
        let result = try Migration.copy(inv.session, to: target)
        inv.note(
            "Copied the ledger to \(result.target): \(result.rows) rows in \(result.tables) tables, \(result.events) audit events;"
                + " the chain's head and the state digest match.")
    }
}

/// `owatch migrate`: its manual page.
let migrateNoun = Noun(
    name: "migrate", summary: "copy the ledger to another backend",
    description: """
        Copies the whole ledger to a new SQLite file (--to sqlite:FILE) or an empty PostgreSQL database (--to postgresql://…), \
        in one transaction on the target after creating its schema. The audit chain and the state digest are verified on the \
        ledger first and on the copy before it commits: the same head hash and the same digest, or the copy is rolled back \
        (a file is removed). A target that exists (a file) or holds tables (a database) is refused. \
        The ledger itself is left as it is, with one audit event recording the copy; a password in the URL is never shown.
        """
)

/// `owatch migrate …`: its commands, in help order.
let migrateCommands: [Command] = [
    Command(
        noun: "migrate", verb: nil, summary: "copy the whole ledger to a new SQLite file or an empty PostgreSQL database",
        options: MigrateCommand.MigrateOption.self, access: .roles(adminOnly),
        examples: ["owatch migrate --to postgresql://owatch@db.example/office", "owatch migrate --to sqlite:/var/lib/owatch/ledger.db"],
        run: MigrateCommand.run)
]

extension MigrateCommand {
    enum MigrateOption: String, OptionKeys {
        case to

        var spec: Option {
            switch self {
            case .to:
                Option(
                    value: "URL", "where to copy the ledger: sqlite:FILE or postgresql://…",
                    required: .message("owatch migrate needs --to sqlite:FILE or --to postgresql://…"))
            }
        }
    }
}
