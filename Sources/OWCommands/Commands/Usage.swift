import OWCLI
import OWKit

/// `owatch usage`: when seat holders last used their software, from vendors' exports.
enum UsageCommand {
    static let shape = UsageRecord.shape

    static let importShape = Usage.Outcome.shape

    static func importFile(_ inv: Call<ImportOption>) throws {
        let path = inv.argument(1)
        let (text, _) = try inv.readText(path)
        let format: UsageFormat? = inv.choice(.from)
        let o = try Usage.importText(inv.session, license: inv.argument(0), text: text, format: format)
        inv.emit(o, as: importShape)
        inv.note(
            "Recorded the last use of \(o.recorded) seat holder(s) from \(o.rows) row(s) (\(o.format.rawValue))."
                + (o.notHolders.isEmpty ? "" : " \(o.notHolders.count) in the export hold no seat.")
                + (o.missing.isEmpty
                    ? "" : " \(o.missing.count) seat holder(s) are not in it: " + o.missing.prefix(10).joined(separator: ", ") + "."))
    }

    static func list(_ inv: Call<ListOption>) throws {
        inv.emit(try Usage.list(inv.session, license: inv.value(.license)), as: shape)
    }
}

/// `owatch usage`: its manual page.
let usageNoun = Noun(
    name: "usage", summary: "when seat holders last used their software",
    description: """
        usage import LICENSE FILE records, for each holder of a seat of that license, the last time they used it, from the export the vendor gives admins: a generic CSV with email,last_active; Google Workspace's user export (Email Address [Required], Last Sign In [READ ONLY], where Never logged in means never); Slack's member analytics export (Email, Last active (UTC)); GitHub's Copilot seats (the JSON of GET /orgs/ORG/copilot/billing/seats, assignee.login and last_activity_at, or CSV with login and last_activity_at); Zoom's user list (Email, Last Login Time); Atlassian's user export (email and its Last seen in … or last_login columns, the latest counting); and the Microsoft 365 active users report (User Principal Name and its Last Activity Date columns, the latest counting).
        The format is recognised by the header row (--from forces one); an unknown header is refused with what each format needs.
        People are matched to seat holders by e-mail, by user name, or by the e-mail's local part for logins; those in the export holding no seat and the holders missing from it are reported.
        People active within config usage.inactive (default 60d) beyond the seats paid for make a true_up finding.
        A seat is judged inactive only once it has been held for usage.inactive, and only on usage imported within usage.inactive: older data is reported as old by report reclaim and report summary, not read as disuse.
        A bad date or a row without e-mail is reported by line and nothing is recorded.
        Scanners may run usage import (so cron can feed it); employees see only their own usage.
        """
)

/// `owatch usage …`: its commands, in help order.
let usageCommands: [Command] = [
    Command(
        noun: "usage", verb: "import", summary: "record when seat holders last used a license's software, from the vendor's export",
        arguments: [Argument(name: "LICENSE"), Argument(name: "FILE", file: .input)],
        options: UsageCommand.ImportOption.self,
        access: .roles([.admin, .scanner]),
        examples: ["owatch usage import Slack slack-members.csv", "owatch usage import 'GitHub Copilot' seats.json --from github"],
        output: UsageCommand.importShape.docs, run: UsageCommand.importFile),
    Command(
        noun: "usage", verb: "list", summary: "when each seat holder last used their software (employees: their own)",
        options: UsageCommand.ListOption.self,
        access: .roles([.admin, .employee]), examples: ["owatch usage list --license Slack", "owatch usage list --json"],
        output: UsageCommand.shape.docs, run: UsageCommand.list),
]

extension UsageCommand {
    enum ImportOption: String, OptionKeys {
        case from

        var spec: Option {
            switch self {
            case .from:
                Option(value: "FORMAT", "the export's format when its header does not say", choices: UsageFormat.allCases.map(\.rawValue))
            }
        }
    }

    enum ListOption: String, OptionKeys {
        case license

        var spec: Option {
            switch self {
            case .license: Option(value: "LICENSE", "only this license")
            }
        }
    }
}
