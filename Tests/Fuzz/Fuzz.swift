// owatch-fuzz: one libFuzzer target per reader of outside bytes (OWKit's ReaderHarness names them).
// Built by `make fuzz` / the fuzz step of `make test` with `-sanitize=fuzzer` and `-D FUZZING`
// (its main runs libFuzzer's driver, LLVMFuzzerRunDriver, on each input); OWATCH_FUZZ_TARGET says which reader.
// In an ordinary build it is a replayer: `owatch-fuzz TARGET FILE…` reads each file with that
// reader, which is how a crash libFuzzer found is reproduced.
import FoundationEssentials
import Glibc

@testable import OWChannel
@testable import OWCore
@testable import OWIdentity
@testable import OWKit
@testable import OWOffice
@testable import OWReaders
@testable import OWReports
@testable import OWRequests
@testable import OWScan

#if FUZZING
    nonisolated(unsafe) private var target = ""

    /// libFuzzer's entry for each input.
    private func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
        ReaderHarness.read(target, data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
        return 0
    }

    /// The symbol libFuzzer's library names (a debug build keeps the reference): the same entry.
    @_cdecl("LLVMFuzzerTestOneInput")
    public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt { fuzzOne(data, size) }

    // libFuzzer's driver, run from our own main (SwiftPM links an executable's main under its own name).
    @_silgen_name("LLVMFuzzerRunDriver")
    private func runDriver(
        _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    ) -> CInt

    @main
    struct Fuzz {
        static func main() {
            let name = ProcessInfo.processInfo.environment["OWATCH_FUZZ_TARGET"] ?? ""
            guard ReaderHarness.targets.contains(name) else {
                StandardStreams.writeError(
                    "owatch-fuzz: set OWATCH_FUZZ_TARGET to one of \(ReaderHarness.targets.joined(separator: ", "))\n")
                exit(64)
            }
            target = name
            var argc = CommandLine.argc
            var argv = CommandLine.unsafeArgv
            exit(runDriver(&argc, &argv) { data, size in fuzzOne(data, size) })
        }
    }
#else
    @main
    struct Replay {
        static func main() {
            let args = CommandLine.arguments.dropFirst()
            guard let name = args.first, ReaderHarness.targets.contains(name) else {
                print("usage: owatch-fuzz TARGET FILE…  (targets: \(ReaderHarness.targets.joined(separator: ", ")))")
                exit(64)
            }
            for path in args.dropFirst() {
                guard let data = FileManager.default.contents(atPath: path) else {
                    print("owatch-fuzz: cannot read \(path)")
                    exit(66)
                }
                ReaderHarness.read(name, Array(data))
                print("\(name) \(path): read")
            }
        }
    }
#endif
