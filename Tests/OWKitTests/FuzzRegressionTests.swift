import Foundation
import XCTest

@testable import OWChannel
@testable import OWCore
@testable import OWIdentity
@testable import OWKit
@testable import OWOffice
@testable import OWReaders
@testable import OWReports
@testable import OWRequests
@testable import OWScan

/// Every input the fuzz targets (Tests/Fuzz) ever crashed on, and the reported ones, read again
/// by its reader: Tests/Fuzz/regressions/TARGET/FILE. A trap here ends the test run, as it
/// ended a scan.
final class FuzzRegressionTests: XCTestCase {
    static let regressions = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/regressions")

    func testEveryRegressionInputIsReadWithoutATrap() throws {
        let fm = FileManager.default
        let targets = try fm.contentsOfDirectory(atPath: Self.regressions.path).sorted()
        XCTAssertFalse(targets.isEmpty, "no regression inputs under \(Self.regressions.path)")
        var read = 0
        for target in targets {
            XCTAssertTrue(ReaderHarness.targets.contains(target), "Tests/Fuzz/regressions/\(target) names no fuzz target")
            let dir = Self.regressions.appendingPathComponent(target)
            for name in try fm.contentsOfDirectory(atPath: dir.path).sorted() {
                let data = try Data(contentsOf: dir.appendingPathComponent(name))
                XCTAssertTrue(ReaderHarness.read(target, Array(data)), "\(target)/\(name)")
                read += 1
            }
        }
        XCTAssertGreaterThan(read, 20)
    }

    /// Every reader runs on empty input and on each byte alone (the smallest inputs a fuzzer starts from).
    func testEveryReaderTakesTheSmallestInputs() {
        for target in ReaderHarness.targets {
            XCTAssertTrue(ReaderHarness.read(target, []), target)
            for b in 0...255 { ReaderHarness.read(target, [UInt8(b)]) }
        }
    }
}
