import FoundationEssentials
import OWCLI
import OWKit

/// `owatch scan eval`: how owatch reads an office's own labelled documents, per field.
enum ScanEvalCommand {
    static let scoreShape = FieldScore.shape

    static let missShape = EvaluationMiss.shape

    static func run(_ inv: Call<EvalOption>) throws {
        let labels = inv.argument(0)
        let table = String(decoding: try inv.readInput(labels, maxBytes: 16 << 20), as: UTF8.self)
        // Documents are found in --dir, else beside the table (standard input: the current directory).
        let dir = inv.value(.dir) ?? (labels == "-" ? "." : Path.deletingLastComponent(labels))
        let result = try Evaluation.run(inv.session, labels: table, named: Invocation.inputName(labels), dir: dir)
        if inv.flag(.misses) { return inv.emit(result.misses, as: missShape) }
        inv.emit(result.scores, as: scoreShape)
    }
}
