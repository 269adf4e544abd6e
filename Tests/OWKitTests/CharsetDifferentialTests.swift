import Foundation
import XCTest

@testable import OWKit

/// owatch's own charset tables against Foundation's (ICU's) conversions, which they replaced:
/// the same text, or the same fallback, for random and hand-picked bytes.
final class CharsetDifferentialTests: XCTestCase {
    static let encodings: [(String, String.Encoding)] = [
        ("iso-8859-1", .isoLatin1), ("iso-8859-2", .isoLatin2), ("windows-1250", .windowsCP1250), ("windows-1252", .windowsCP1252),
        ("shift_jis", .shiftJIS), ("iso-2022-jp", .iso2022JP), ("euc-jp", .japaneseEUC), ("utf-16", .utf16),
    ]

    func foundation(_ bytes: [UInt8], _ name: String, _ encoding: String.Encoding) -> String {
        let text = String(data: Data(bytes), encoding: encoding) ?? String(decoding: bytes, as: UTF8.self)
        guard name == "shift_jis" else { return text }
        return text.replacingOccurrences(of: #"\\(?=\d)"#, with: "¥", options: .regularExpression)
    }

    func testRandomBytesDecodeAsFoundationDid() {
        var rng = SystemRandomNumberGenerator()
        let esc: [[UInt8]] = [
            [0x1B, 0x24, 0x42], [0x1B, 0x28, 0x42], [0x1B, 0x28, 0x4A], [0x1B, 0x28, 0x49], [0x1B, 0x24, 0x40], [0x0A],
        ]
        for (name, encoding) in Self.encodings {
            for round in 0..<20000 {
                var bytes: [UInt8] = []
                let n = Int.random(in: 0...12, using: &rng)
                for _ in 0..<n {
                    if name == "iso-2022-jp" && Int.random(in: 0..<4, using: &rng) == 0 {
                        bytes += esc.randomElement(using: &rng)!
                    } else if round % 2 == 0 {
                        bytes.append(UInt8.random(in: 0x20...0x7E, using: &rng))
                    } else {
                        bytes.append(UInt8.random(in: 0...255, using: &rng))
                    }
                }
                XCTAssertEqual(Charset.decode(bytes, charset: name), foundation(bytes, name, encoding), "\(name) \(bytes)")
            }
        }
    }

    func testEveryShiftJISPairAndJISPair() {
        for lead in 0x80...0xFF {
            for trail in 0...0xFF {
                let bytes = [UInt8(lead), UInt8(trail), 0x5C, 0x31]
                XCTAssertEqual(Charset.decode(bytes, charset: "shift_jis"), foundation(bytes, "shift_jis", .shiftJIS), "\(bytes)")
            }
        }
        for j1 in 0x21...0x7E {
            for j2 in 0x21...0x7E {
                let bytes: [UInt8] = [0x1B, 0x24, 0x42, UInt8(j1), UInt8(j2), 0x1B, 0x28, 0x42, 0x41]
                XCTAssertEqual(Charset.decode(bytes, charset: "iso-2022-jp"), foundation(bytes, "iso-2022-jp", .iso2022JP), "\(bytes)")
            }
        }
    }
}
