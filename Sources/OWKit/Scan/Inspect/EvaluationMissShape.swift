import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice

/// The one declaration of an evaluation miss's output, beside its type: `scan eval --misses`
/// rows and the manual's OUTPUT come from it.
extension EvaluationMiss {
    public static let shape = Shape<EvaluationMiss>(
        [
            Field("file", "eval --misses: the document") { .text($0.file) },
            Field("field", "eval --misses: the field", kind: .code) { .text($0.field) },
            Field("expected", "eval --misses: what its label says (empty for a look-alike)") { .text($0.expected) },
            Field("read", "eval --misses: what owatch read (empty: nothing)") { .text($0.read) },
        ], keep: ["file", "field"])
}
