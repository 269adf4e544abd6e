import FoundationEssentials
import OWCLI
import OWKit

/// `owatch scan eval`: how owatch reads an office's own labelled documents, per field.
enum ScanEvalCommand {
    static let scoreShape = Shape<FieldScore>(
        [
            Field(
                "field",
                "eval: charge (the document is one), vendor, amount (with its currency), date, invoice_no, or accepted (amount "
                    + "and currency on what a scan would take without review, the vendor aside)", kind: .code
            ) { .text($0.field) },
            Field("right", "eval: read and right", kind: .number) { .int(Int64($0.right)) },
            Field("wrong", "eval: read but wrong, or read from a look-alike", kind: .number) { .int(Int64($0.wrong)) },
            Field("missed", "eval: labelled but not read right", kind: .number) { .int(Int64($0.missed)) },
            Field("precision", "eval: right / (right + wrong), or null when nothing was read", kind: .number) { ratio($0.precision) },
            Field("recall", "eval: right / (right + missed), or null when nothing is labelled", kind: .number) { ratio($0.recall) },
            Field("held", "eval: read but held for review (confidence under scan.review_below), not taken", kind: .number) {
                .int(Int64($0.held))
            },
            Field("held_right", "eval: of those held, how many were read right", kind: .number) { .int(Int64($0.heldRight)) },
        ])

    static let missShape = Shape<EvaluationMiss>(
        [
            Field("file", "eval --misses: the document") { .text($0.file) },
            Field("field", "eval --misses: the field", kind: .code) { .text($0.field) },
            Field("expected", "eval --misses: what its label says (empty for a look-alike)") { .text($0.expected) },
            Field("read", "eval --misses: what owatch read (empty: nothing)") { .text($0.read) },
        ], keep: ["file", "field"])

    static func ratio(_ r: String?) -> Value { .json(r.map { JSON.number($0) } ?? .null) }

    static func run(_ inv: Call<EvalOption>) throws {
        let result = try Evaluation.run(inv.session, labels: inv.argument(0), dir: inv.value(.dir))
        if inv.flag(.misses) { return inv.emit(result.misses, as: missShape) }
        inv.emit(result.scores, as: scoreShape)
    }
}
