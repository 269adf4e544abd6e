import FoundationEssentials
import OWCLI
import OWKit

/// `owatch scan eval`: how owatch reads an office's own labelled documents, per field.
enum ScanEvalCommand {
    static let scoreShape = FieldScore.shape

    static let missShape = EvaluationMiss.shape

    static func run(_ inv: Call<EvalOption>) throws {
        let result = try Evaluation.run(inv.session, labels: inv.argument(0), dir: inv.value(.dir))
        if inv.flag(.misses) { return inv.emit(result.misses, as: missShape) }
        inv.emit(result.scores, as: scoreShape)
    }
}
