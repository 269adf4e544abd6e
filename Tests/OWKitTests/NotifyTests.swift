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

final class NotifyTests: XCTestCase {
    func testRetryWaitsDoubleAndSpanTheConfiguredTime() throws {
        let policy = try RetryPolicy.parse("5/1d")
        let start = Date(timeIntervalSince1970: 0)
        var at = start
        var waits: [Double] = []
        for attempt in 1..<5 {
            let next = try XCTUnwrap(policy.next(after: attempt, from: at))
            waits.append(next.timeIntervalSince(at))
            at = next
        }
        XCTAssertEqual(waits, [5760, 11520, 23040, 46080])
        XCTAssertEqual(at.timeIntervalSince(start), 86_400)
        XCTAssertNil(policy.next(after: 5, from: at))
        XCTAssertNil(try RetryPolicy.parse("1/1h").next(after: 1, from: start))
        for bad in ["0/1d", "5", "5/", "21/1d", "x/1d", "5/0d"] { XCTAssertThrowsError(try RetryPolicy.parse(bad), bad) }
    }

    func testTheDigestWeekStartsOnMonday() {
        XCTAssertEqual(Digest.weekStart(Time.parseDay("2026-12-07")!), "2026-12-07")  // a Monday
        XCTAssertEqual(Digest.weekStart(Time.parseDay("2026-12-13")!), "2026-12-07")  // Sunday
        XCTAssertEqual(Digest.weekStart(Time.parseDay("2027-01-01")!), "2026-12-28")  // across the year
        XCTAssertEqual(Digest.weekStart(Time.parseDay("1970-01-01")!), "1969-12-29")
    }

    func testNtfyTopicComesFromTheURLsLastSegment() {
        XCTAssertEqual(NotifyMessage.ntfyTopic("https://ntfy.sh/office").root, "https://ntfy.sh/")
        XCTAssertEqual(NotifyMessage.ntfyTopic("https://ntfy.example/sub/office/").topic, "office")
        XCTAssertEqual(NotifyMessage.ntfyTopic("https://ntfy.example/sub/office/").root, "https://ntfy.example/sub/")
    }

    func testCurlConfigValuesAreQuoted() {
        XCTAssertEqual(Transport.quoted(#"a"b\c"#), #""a\"b\\c""#)
        XCTAssertEqual(Transport.quoted("x\ny"), #""x\ny""#)
    }

    func testEventListsAreChecked() throws {
        XCTAssertEqual(try NotifyEvent.parseList("digest, renewal"), [.renewal, .digest])
        XCTAssertEqual(try NotifyEvent.parseList("all"), NotifyEvent.allCases)
        XCTAssertThrowsError(try NotifyEvent.parseList("renewals"))
        XCTAssertThrowsError(try NotifyEvent.parseList(""))
    }
}
