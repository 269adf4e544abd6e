import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice

/// The one declaration of a scan source's output, beside its type: `scan source list` rows and
/// the manual's OUTPUT come from it.
extension ScanSource {
    public static let shape = Shape<ScanSource>(
        [
            Field("id", "source list: source id") { .int($0.id) },
            Field("kind", "source list: " + SourceKind.allCases.map(\.rawValue).joined(separator: ", "), kind: .code) {
                .text($0.kind.rawValue)
            },
            Field("path", "source list: the file or folder read") { .text($0.path) },
            Field("map", "source list: its statement column map, or null", kind: .text) { .text($0.map) },
            Field("last_scan", "source list: when it was last scanned, RFC 3339", kind: .date) { .text($0.lastScan) },
            Field("skipped", "items passed over (malformed, too large, too slow), never read again") { .int($0.skippedItems) },
        ], keep: ["path"], dropFirst: ["map", "skipped"])
}
