import OWCLI
import OWKit

enum VendorCommand {
    static func record(_ v: Vendor) -> Record {
        Record([
            ("name", .text(v.name)), ("category", .text(v.category)), ("domains", .list(v.domains)), ("aliases", .list(v.aliases)),
            ("source", .text(v.source)),
        ])
    }

    static func list(_ inv: Invocation) throws {
        inv.emit(
            try Vendors.list(inv.session.db, category: inv.value("category")).map(record),
            columns: ["name", "category", "domains", "aliases", "source"])
    }

    static func add(_ inv: Invocation) throws {
        inv.emit(
            record(
                try Vendors.add(
                    inv.session, name: inv.argument(0), category: inv.value("category"), domains: inv.values("domain"),
                    aliases: inv.values("alias"))))
    }

    static func edit(_ inv: Invocation) throws {
        inv.emit(
            record(
                try Vendors.edit(
                    inv.session, name: inv.argument(0), newName: inv.value("name"), category: inv.value("category"),
                    addDomains: inv.values("domain"), addAliases: inv.values("alias"))))
    }
}

/// `owatch vendor`: its manual page.
let vendorNoun = Noun(
    name: "vendor", summary: "the vendor catalog",
    description:
        "owatch ships a catalog of more than 100 SaaS vendors with their billing sender domains, aliases and categories; licenses resolve their vendor through it by name or alias, case-insensitively, and the scan uses the domains to recognise invoices. Local additions and edits are kept in the ledger.",
    jsonKeys: [
        ("name", "vendor name"), ("category", "category"), ("domains", "billing sender domains"), ("aliases", "other names"),
        ("source", "builtin or local"),
    ])

/// `owatch vendor …`: its commands, in help order.
let vendorCommands: [Command] = [
    Command(
        noun: "vendor", verb: "list", summary: "list the vendor catalog (built in and local)",
        options: [Option("category", value: "CATEGORY", "only this category")],
        access: .roles(adminOnly), examples: ["owatch vendor list --category security"], run: VendorCommand.list),
    Command(
        noun: "vendor", verb: "add", summary: "add a vendor to the catalog",
        arguments: [Argument(name: "NAME")],
        options: [
            Option("category", value: "CATEGORY", "category (default other)"),
            Option("domain", value: "DOMAIN", "billing sender domain (repeatable)", repeatable: true),
            Option("alias", value: "ALIAS", "another name (repeatable)", repeatable: true),
        ],
        access: .roles(adminOnly), examples: ["owatch vendor add 'Acme Analytics' --domain acme-analytics.io --category analytics"],
        run: VendorCommand.add),
    Command(
        noun: "vendor", verb: "edit", summary: "change a vendor; adds domains and aliases",
        arguments: [Argument(name: "VENDOR")],
        options: [
            Option("name", value: "NAME", "rename"), Option("category", value: "CATEGORY", "category"),
            Option("domain", value: "DOMAIN", "add a billing domain (repeatable)", repeatable: true),
            Option("alias", value: "ALIAS", "add an alias (repeatable)", repeatable: true),
        ],
        access: .roles(adminOnly), examples: ["owatch vendor edit Slack --domain slack-billing.example"], run: VendorCommand.edit),
]
