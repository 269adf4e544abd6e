// swift-tools-version:6.0
// owatch: one binary, one SQLite ledger. System libraries only (SPEC §1): no package dependencies.
import Foundation
import PackageDescription

/// OWKit's layers (issue 30), lowest first: each imports only those below it, so a reach upward does
/// not compile. Their folders stay under Sources/OWKit, which every layer shares as its path: a layer
/// lists its folders and the odd file whose folder is another layer's, so no file moved.
/// ARCHITECTURE.md says what each owns and where new code goes.
let layers: [(name: String, dependencies: [Target.Dependency], sources: [String])] = [
    // What every layer and every reader needs and no ledger: text, CSV, JSON, time, files, hashing, money values,
    // the catalog's vendor. The readers build on it alone, so they compile beside the rest of the core.
    (
        "OWBase", ["OWText", "CCrypto", "CZlib"],
        [
            "Support", "Money/Money.swift", "Money/Currency.swift", "Money/Exact.swift", "Money/MoneyParser.swift",
            "Money/RationalOrder.swift", "Money/Period.swift", "Identity/Crypto.swift", "Ledger/Vendor.swift",
        ]
    ),
    // Rates, output shapes, the ledger (SQLite, PostgreSQL, schema); re-exports OWBase.
    ("OWCore", ["OWBase", "CSQLite", "CCrypto", "CZlib"], ["Output", "Money", "Ledger", "Reports/Month.swift"]),
    // The readers of outside bytes: mail (MIME), text (PDF, HTML, charsets), receipts and statements. On the base
    // only, so they compile beside the ledger, identity and the office; what they need to know of vendors is given to them.
    ("OWReaders", ["OWBase", "CZlib"], ["Scan/Mail", "Scan/Text", "Scan/Receipt", "Scan/Statements"]),
    // Keys, tokens, users, sessions, and the audit chain they sign.
    ("OWIdentity", ["OWCore", "CSQLite"], ["Identity", "Audit"]),
    // The remote protocol's client and server frames: the ledger below it, no command. Not "OWRemote": SwiftPM's
    // build engine (llbuild) starts the ready compile whose name sorts last, and this layer, needed only by the
    // umbrella, took the free core from OWIdentity and OWOffice, the build's longest chain (12 s of a 215 s
    // release build: bench/build_time.py). A layer off that chain gets a name that sorts before the chain's.
    ("OWChannel", ["OWCore"], ["Remote"]),
    // The office: settings, hooks, notifications, inventory, people, the charges and the findings raised about them. One layer
    // while these call one another (a license change resolves findings, which count seats, which are people's).
    (
        "OWOffice", ["OWIdentity", "CSystem", "CZlib"],
        ["Admin/Config.swift", "Hooks", "Notify", "Inventory", "People", "Findings", "Charges"]
    ),
    // Requests, approvals, leave and budgets with the burn they are checked against; beside the scan.
    (
        "OWRequests", ["OWOffice"],
        [
            "Requests", "Reports/Budgets.swift", "Reports/BudgetShape.swift", "Reports/BudgetLineShape.swift", "Reports/Burn.swift",
            "Reports/BurnRowShape.swift",
        ]
    ),
    // The scan's run around the readers: sources, matching, charges, and adopting what it found.
    ("OWScan", ["OWOffice", "OWReaders"], ["Scan", "Charges/ChargeEntry.swift", "Findings/FindingAdoption.swift"]),
    // Reports and exports: they read the office's tables and change nothing but the outbox; beside the scan.
    ("OWReports", ["OWRequests"], ["Reports", "Export"]),
    // The umbrella (OWKit.swift re-exports every layer) with what needs all of them: doctor, backup and
    // migrate (Admin), shell completion values, the fuzz targets' reader harness.
    (
        "OWKit", ["OWBase", "OWCore", "OWReaders", "OWIdentity", "OWChannel", "OWOffice", "OWRequests", "OWScan", "OWReports"],
        ["OWKit.swift", "Admin", "Output/CompletionValues.swift", "Support/ReaderHarness.swift"]
    ),
]

/// A layer's target: what the others list is excluded, file by file in a folder two layers share
/// (excluding the folder would drop the file this layer lists from it).
func layer(_ l: (name: String, dependencies: [Target.Dependency], sources: [String])) -> Target {
    let root = Context.packageDirectory + "/Sources/OWKit/"
    let listed = Set(layers.flatMap(\.sources))
    var exclude: [String] = []
    for entry in listed.sorted() where !l.sources.contains(entry) {
        let mine = l.sources.filter { $0.hasPrefix(entry + "/") }
        guard !mine.isEmpty else {
            exclude.append(entry)
            continue
        }
        let files = (try? FileManager.default.contentsOfDirectory(atPath: root + entry)) ?? []
        exclude += files.sorted().map { entry + "/" + $0 }.filter { !mine.contains($0) && !listed.contains($0) }
    }
    return .target(name: l.name, dependencies: l.dependencies, path: "Sources/OWKit", exclude: exclude, sources: l.sources)
}

let package = Package(
    name: "owatch",
    products: [
        .executable(name: "owatch", targets: ["owatch"]),
        .library(name: "OWKit", targets: ["OWKit"]),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .systemLibrary(
            name: "CCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // prctl(2) for hooks (Linux): a header-only module of libc.
        .systemLibrary(name: "CSystem"),
        // Text helpers below everything ("did you mean" suggestions, column padding): the command line
        // and the library share them; OWCore re-exports them.
        .target(name: "OWText"),
        // OWKit's layers, lowest first, and the umbrella that re-exports them (see `layers` below).
    ] + layers.map(layer) + [
        // The command table's types, its parser and help: in-process tested (OWCLITests). Beside the domain, on
        // none of its layers: its own error type, generic over the front end's roles and output docs, the
        // domain's value types read by a reader the front end gives it.
        .target(name: "OWCLI", dependencies: ["OWText"]),
        // The command table, its handlers and the output streams: run in-process by OWCommandsTests.
        .target(name: "OWCommands", dependencies: ["OWKit", "OWCLI"]),
        // startup.order: the functions start-up runs, laid out first by `make release` (.ci/startup-order).
        .executableTarget(name: "owatch", dependencies: ["OWCommands"], exclude: ["startup.order"]),
        // libFuzzer targets for every reader of outside bytes (`make fuzz`); in an ordinary build,
        // a replayer of inputs. Not part of the installed product.
        .executableTarget(
            name: "owatch-fuzz",
            dependencies: [
                "OWKit", "OWBase", "OWCore", "OWReaders", "OWIdentity", "OWChannel", "OWOffice", "OWRequests", "OWScan", "OWReports",
            ],
            path: "Tests/Fuzz",
            exclude: ["regressions", "seeds.py"]),
        .testTarget(
            name: "OWKitTests",
            dependencies: [
                "OWKit", "OWBase", "OWCore", "OWReaders", "OWIdentity", "OWChannel", "OWOffice", "OWRequests", "OWScan", "OWReports",
            ]),
        .testTarget(name: "OWCLITests", dependencies: ["OWCLI", "OWCommands", "OWKit"]),
        .testTarget(name: "OWCommandsTests", dependencies: ["OWCommands", "OWCLI", "OWKit"]),
    ]
)
