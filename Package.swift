// swift-tools-version:6.0
// owatch: one binary, one SQLite ledger. System libraries only (SPEC §1): no package dependencies.
import PackageDescription

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
        .target(name: "OWKit", dependencies: ["CSQLite", "CCrypto", "CZlib", "CSystem"]),
        // The command table's types, its parser and help: in-process tested (OWCLITests).
        .target(name: "OWCLI", dependencies: ["OWKit"]),
        // The command table, its handlers and the output streams: run in-process by OWCommandsTests.
        .target(name: "OWCommands", dependencies: ["OWKit", "OWCLI"]),
        .executableTarget(name: "owatch", dependencies: ["OWCommands"]),
        // libFuzzer targets for every reader of outside bytes (`make fuzz`); in an ordinary build,
        // a replayer of inputs. Not part of the installed product.
        .executableTarget(name: "owatch-fuzz", dependencies: ["OWKit"], path: "Tests/Fuzz", exclude: ["regressions", "seeds.py"]),
        .testTarget(name: "OWKitTests", dependencies: ["OWKit"]),
        .testTarget(name: "OWCLITests", dependencies: ["OWCLI", "OWKit"]),
        .testTarget(name: "OWCommandsTests", dependencies: ["OWCommands", "OWCLI", "OWKit"]),
    ]
)
