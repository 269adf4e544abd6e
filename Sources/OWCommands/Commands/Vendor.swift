import OWCLI
import OWKit

enum VendorCommand {
    static let shape = Vendor.shape

    static func list(_ inv: Call<ListOption>) throws {
        inv.emit(try Vendors.list(inv.session.db, category: inv.value(.category)), as: shape)
    }

    static func add(_ inv: Call<AddOption>) throws {
        inv.emit(
            try Vendors.add(
                inv.session, name: inv.argument(0), category: inv.value(.category), domains: inv.values(.domain),
                aliases: inv.values(.alias)),
            as: shape)
    }

    static func edit(_ inv: Call<EditOption>) throws {
        inv.emit(
            try Vendors.edit(
                inv.session, name: inv.argument(0), newName: inv.value(.name), category: inv.value(.category),
                addDomains: inv.values(.domain), addAliases: inv.values(.alias)),
            as: shape)
    }
}

/// `owatch vendor`: its manual page.
let vendorNoun = Noun(
    name: "vendor", summary: "the vendor catalog",
    description: """
        owatch ships a catalog of more than 100 SaaS vendors with their billing sender domains, aliases and categories; licenses resolve their vendor through it by name or alias, case-insensitively, and the scan uses the domains to recognise invoices.
        Local additions and edits are kept in the ledger.
        """
)

/// `owatch vendor …`: its commands, in help order.
let vendorCommands: [Command] = [
    Command(
        noun: "vendor", verb: "list", summary: "list the vendor catalog (built in and local)",
        options: VendorCommand.ListOption.self,
        access: .roles(adminOnly), examples: ["owatch vendor list --category security"],
        output: VendorCommand.shape.docs, run: VendorCommand.list),
    Command(
        noun: "vendor", verb: "add", summary: "add a vendor to the catalog",
        arguments: [Argument(name: "NAME")],
        options: VendorCommand.AddOption.self,
        access: .roles(adminOnly), examples: ["owatch vendor add 'Acme Analytics' --domain acme-analytics.io --category analytics"],
        output: VendorCommand.shape.docs, run: VendorCommand.add),
    Command(
        noun: "vendor", verb: "edit", summary: "change a vendor; adds domains and aliases",
        arguments: [Argument(name: "VENDOR")],
        options: VendorCommand.EditOption.self,
        access: .roles(adminOnly), examples: ["owatch vendor edit Slack --domain slack-billing.example"],
        output: VendorCommand.shape.docs, run: VendorCommand.edit),
]

extension VendorCommand {
    enum ListOption: String, OptionKeys {
        case category

        var spec: Option {
            switch self {
            case .category: Option(value: "CATEGORY", "only this category")
            }
        }
    }

    enum AddOption: String, OptionKeys {
        case category, domain, alias

        var spec: Option {
            switch self {
            case .category: Option(value: "CATEGORY", "category (default other)")
            case .domain: Option(value: "DOMAIN", "billing sender domain (repeatable)", repeatable: true)
            case .alias: Option(value: "ALIAS", "another name (repeatable)", repeatable: true)
            }
        }
    }

    enum EditOption: String, OptionKeys {
        case name, category, domain, alias

        var spec: Option {
            switch self {
            case .name: Option(value: "NAME", "rename")
            case .category: Option(value: "CATEGORY", "category")
            case .domain: Option(value: "DOMAIN", "add a billing domain (repeatable)", repeatable: true)
            case .alias: Option(value: "ALIAS", "add an alias (repeatable)", repeatable: true)
            }
        }
    }
}
