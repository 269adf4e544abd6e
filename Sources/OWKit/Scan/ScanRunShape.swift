import FoundationEssentials
import OWCore
import OWIdentity
import OWOffice

/// What a scan did, for programs; the findings only for those who may read them.
public struct ScanRun: Sendable {
    public let result: ScanResult
    public let dryRun: Bool
    public let showFindings: Bool

    public init(result: ScanResult, dryRun: Bool, showFindings: Bool) {
        self.result = result
        self.dryRun = dryRun
        self.showFindings = showFindings
    }
}

/// The one declaration of a scan run's output, beside its type: `scan` rows (counts, and the new
/// findings with `Finding.shape`'s keys for those who may read them) and the manual's OUTPUT come from it.
extension ScanRun {
    public static let shape = Shape<ScanRun>([
        Field("sources", "scan: sources read") { .int(Int64($0.result.sources)) },
        Field("messages", "scan: new messages and statement lines read") { .int(Int64($0.result.messages)) },
        Field("already_seen", "scan: messages read by an earlier scan, passed over") { .int(Int64($0.result.alreadySeen)) },
        Field(
            "statement_lines_known",
            "scan: statement lines known already (the same line from an overlapping export, a renamed copy or another path), passed over"
        ) { .int(Int64($0.result.statementLinesKnown)) },
        Field("charges", "scan: charges recorded") { .int(Int64($0.result.charges)) },
        Field("not_charges", "scan: messages that are no charge (newsletters, reminders, failed payments)") {
            .int(Int64($0.result.notCharges))
        },
        Field("skipped", "items passed over (malformed, too large, too slow), never read again") { .int(Int64($0.result.skipped)) },
        Field("new_findings", "scan: findings this run made") { .int(Int64($0.result.findings.count)) },
        Field("dry_run", "scan: true with --dry-run (nothing was written)") { .bool($0.dryRun) },
        Field("findings", "scan: the new findings, with the keys of scan findings (admins only)") { run in
            run.showFindings ? .json(.array(run.result.findings.map { Exporter.jsonObject(Finding.shape.record($0)) })) : nil
        },
    ])
}
