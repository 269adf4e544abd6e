import XCTest
@testable import OWKit

final class JSONTests: XCTestCase {
    func testRoundTrip() throws {
        let text = #"{"a":[1,2.50,-3e2],"b":"x\"\n\u00e9\ud83d\ude00","c":null,"d":true}"#
        let v = try JSON.parse(text)
        XCTAssertEqual(v["a"]?.arrayValue?.count, 3)
        XCTAssertEqual(v["b"]?.stringValue, "x\"\né😀")
        XCTAssertEqual(try JSON.parse(v.encoded()), v)
    }
}
