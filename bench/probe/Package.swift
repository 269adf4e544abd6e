// swift-tools-version:6.0
// The static probe `make bench` compares owatch's start-up with (issue 30, item 8): the least a
// `whoami` must do — open SQLite, verify an Ed25519 signature with libcrypto, decode a JSON
// object — in a tiny Swift program built the way owatch is (release, --static-swift-stdlib).
import PackageDescription

let package = Package(
    name: "probe",
    targets: [
        .systemLibrary(name: "CProbe", pkgConfig: "sqlite3"),
        .executableTarget(name: "probe", dependencies: ["CProbe"]),
    ]
)
